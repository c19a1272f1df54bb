package io.agentdeploy.operator.benchmark;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmark's writers: each its own Kubernetes client (own connections) on its own thread, as
 * separate users or a CD tool's workers would be.
 */
final class ParallelClients implements AutoCloseable {
  /** One action on resource {@code index} with a client. */
  interface Action {
    void apply(KubernetesClient client, int index);
  }

  private final List<KubernetesClient> clients = new ArrayList<>();
  private final ExecutorService threads;

  ParallelClients(String apiUrl, int count) {
    for (int i = 0; i < count; i++) {
      clients.add(client(apiUrl));
    }
    threads = Executors.newFixedThreadPool(count, r -> {
      Thread t = new Thread(r, "benchmark-client");
      t.setDaemon(true);
      return t;
    });
  }

  static KubernetesClient client(String apiUrl) {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(apiUrl)
        .withTrustCerts(true).withNamespace("default").withHttp2Disable(true).build()).build();
  }

  /** Runs {@code action} for indexes 0..n-1, client k taking every k-th, and returns when all are done. */
  void forEach(int n, Action action) throws InterruptedException {
    List<Future<?>> work = new ArrayList<>();
    for (int k = 0; k < clients.size(); k++) {
      KubernetesClient client = clients.get(k);
      int first = k;
      work.add(threads.submit(() -> {
        for (int i = first; i < n; i += clients.size()) {
          action.apply(client, i);
        }
      }));
    }
    for (Future<?> f : work) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a benchmark client failed: " + e.getCause().getMessage(), e.getCause());
      }
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    clients.forEach(KubernetesClient::close);
  }
}

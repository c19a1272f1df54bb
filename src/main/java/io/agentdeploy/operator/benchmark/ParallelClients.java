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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's writers: each its own Kubernetes client (own connections) on its own thread, as
 * separate users or a CD tool's workers would be.
 */
final class ParallelClients implements AutoCloseable {
  private static final java.time.Duration PROGRESS_EVERY = java.time.Duration.ofSeconds(10);

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

  /**
   * Runs {@code action} for indexes 0..n-1, client k taking every k-th, and returns when all are
   * done; says on stderr every 10 s how far it got ({@code what}: "created", "deleted").
   */
  void forEach(int n, String what, Action action) throws InterruptedException {
    List<Future<?>> work = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    for (int k = 0; k < clients.size(); k++) {
      KubernetesClient client = clients.get(k);
      int first = k;
      work.add(threads.submit(() -> {
        for (int i = first; i < n; i += clients.size()) {
          action.apply(client, i);
          done.incrementAndGet();
        }
      }));
    }
    long start = System.nanoTime();
    for (Future<?> f : work) {
      while (true) {
        try {
          f.get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException stillRunning) {
          System.err.printf("benchmark: %s %d of %d after %d s%n", what, done.get(), n,
              (System.nanoTime() - start) / 1_000_000_000L);
        } catch (ExecutionException e) {
          throw new IllegalStateException("a benchmark client failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    clients.forEach(KubernetesClient::close);
  }
}

package io.agentdeploy.operator.lifecycle;

import io.agentdeploy.operator.api.AgentDeployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Counts writes to AgentDeployments of the test namespace (watch MODIFIED: status, finalizers,
 * annotations), for tests that prove a situation costs no writes.
 */
final class AgentDeploymentWrites implements AutoCloseable {
  private final AtomicInteger count = new AtomicInteger();
  private final Watch watch;

  private AgentDeploymentWrites(KubernetesClient client, Predicate<AgentDeployment> which) {
    this.watch = client.resources(AgentDeployment.class).inNamespace(Resources.NS).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, AgentDeployment resource) {
        if (action == Action.MODIFIED && which.test(resource)) {
          count.incrementAndGet();
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    });
  }

  /** Starts counting writes to the resources {@code which} selects. */
  static AgentDeploymentWrites of(KubernetesClient client, Predicate<AgentDeployment> which) {
    return new AgentDeploymentWrites(client, which);
  }

  /** Writes to the selected resources while {@code during} runs. */
  static int during(KubernetesClient client, Predicate<AgentDeployment> which, Runnable during) {
    try (AgentDeploymentWrites writes = of(client, which)) {
      during.run();
      return writes.count();
    }
  }

  static Predicate<AgentDeployment> named(String name) {
    return a -> name.equals(a.getMetadata().getName());
  }

  static Predicate<AgentDeployment> namedLike(String prefix) {
    return a -> a.getMetadata().getName().startsWith(prefix);
  }

  int count() {
    return count.get();
  }

  void reset() {
    count.set(0);
  }

  @Override
  public void close() {
    watch.close();
  }
}

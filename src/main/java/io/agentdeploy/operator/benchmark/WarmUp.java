package io.agentdeploy.operator.benchmark;

import io.agentdeploy.operator.api.AgentDeployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import java.time.Duration;

/**
 * A round before the measured one, for a figure of an operator that has run for a while: W
 * resources created, brought to Ready and deleted with the same clients, then every Event of the
 * namespace deleted, so the measured round starts with JIT-compiled code in every process and with
 * an API server store as empty as a fresh one's (the mock's cost per request grows with what it
 * holds). A round that does not finish within the run's timeout fails the run: a measured round
 * after it would mix the two.
 */
final class WarmUp {
  private final int resources;
  private final Duration timeout;

  WarmUp(int resources, Duration timeout) {
    this.resources = resources;
    this.timeout = timeout;
  }

  void run(KubernetesClient admin, ParallelClients clients) throws InterruptedException {
    if (resources <= 0) {
      return;
    }
    ResourceLedger ledger = new ResourceLedger();
    try (Watch agents = admin.resources(AgentDeployment.class).inNamespace(Workload.NAMESPACE)
        .watch(ledger.agentWatcher());
        Watch events = admin.v1().events().inNamespace(Workload.NAMESPACE).watch(ledger.eventWatcher())) {
      clients.forEach(resources, "warm-up created", (client, i) -> {
        ledger.creating(Workload.warmUpName(i));
        client.resource(Workload.agent(Workload.warmUpName(i))).create();
      });
      await("Ready", ledger::ready);
      clients.forEach(resources, "warm-up deleted", (client, i) -> client.resources(AgentDeployment.class)
          .inNamespace(Workload.NAMESPACE).withName(Workload.warmUpName(i)).delete());
      await("gone", ledger::gone);
      // An operator may write its Events after the deletes it reports (this one does, on a thread of its own).
      BenchmarkRun.settleEvents(ledger, System.nanoTime());
    }
    admin.v1().events().inNamespace(Workload.NAMESPACE).delete();
    int left = admin.v1().events().inNamespace(Workload.NAMESPACE).list().getItems().size();
    if (left > 0) {
      throw new IllegalStateException("warm-up: the API server still holds " + left + " Events after deleting them");
    }
    System.err.printf("benchmark: warm-up of %d resources done%n", resources);
  }

  private void await(String what, java.util.function.IntSupplier count) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count.getAsInt() < resources) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("warm-up: " + count.getAsInt() + " of " + resources + " " + what
            + " within " + timeout);
      }
      Thread.sleep(20);
    }
  }
}

package io.agentdeploy.operator.benchmark;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code benchmark --api-server-write-cost}: what one write costs the benchmark's API server as the
 * number of objects it already holds grows. The fabric8 mock server looks every write's object up by
 * scanning its whole store under one lock, so each Event an operator ever wrote makes every later
 * write of every client slower; a real API server finds an object by its key and expires Events. The
 * probe fills the server (in a process of its own, as in the benchmark) with Events about objects
 * that do not exist, then times creates and patches of ConfigMaps from parallel clients, after a
 * warm-up round so JIT compilation is not counted.
 */
final class ApiServerWriteCost {
  private static final String NAMESPACE = "probe";

  private final BenchmarkSettings settings;
  private final PrintStream out;

  ApiServerWriteCost(BenchmarkSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * One row per store size (ascending): milliseconds of wall per write, {@code writes} of each kind.
   *
   * @return the API server's process id (gone when this returns)
   */
  long run(List<Integer> storedEvents, int writes) throws InterruptedException {
    ProcessLauncher launcher = new ProcessLauncher(settings);
    try (ChildJvm apiServer = launcher.apiServer("probe");
        ParallelClients clients = new ParallelClients(apiServer.readyMatch(), settings.clients())) {
      KubernetesClient admin = ParallelClients.client(apiServer.readyMatch());
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      round(clients, "warm-up", writes); // compiles the server's and the clients' paths; not reported
      out.printf("API server write cost (%d clients, %d creates and %d patches of a ConfigMap per row; wall time "
          + "per write)%n%n", settings.clients(), writes, writes);
      out.println("| Events already stored | ms per create | ms per patch |");
      out.println("|---|---|---|");
      int stored = 0;
      for (int target : storedEvents) {
        int from = stored;
        clients.forEach(target - from, "stored Events", (client, i) -> client.v1().events().inNamespace(NAMESPACE)
            .resource(event(from + i)).create());
        stored = Math.max(stored, target);
        int held = admin.v1().events().inNamespace(NAMESPACE).list().getItems().size();
        if (held != stored) {
          throw new IllegalStateException("the API server holds " + held + " Events, not " + stored);
        }
        double[] ms = round(clients, "row-" + stored, writes);
        out.printf("| %d | %.2f | %.2f |%n", stored, ms[0], ms[1]);
        out.flush();
      }
      admin.close();
      return apiServer.pid();
    }
  }

  /** Creates, patches and deletes {@code writes} ConfigMaps; returns ms per create and per patch. */
  private static double[] round(ParallelClients clients, String prefix, int writes) throws InterruptedException {
    long t0 = System.nanoTime();
    clients.forEach(writes, "created", (client, i) -> client.configMaps().inNamespace(NAMESPACE).resource(
        new ConfigMapBuilder().withNewMetadata().withName(prefix + "-" + i).endMetadata().addToData("k", "v").build())
        .create());
    long t1 = System.nanoTime();
    clients.forEach(writes, "patched", (client, i) -> client.configMaps().inNamespace(NAMESPACE)
        .withName(prefix + "-" + i).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"k\":\"w\"}}"));
    long t2 = System.nanoTime();
    // Gone again, so each row's store holds the Events and nothing of the rounds before it.
    clients.forEach(writes, "deleted", (client, i) -> client.configMaps().inNamespace(NAMESPACE)
        .withName(prefix + "-" + i).delete());
    return new double[] {(t1 - t0) / 1e6 / writes, (t2 - t1) / 1e6 / writes};
  }

  private static io.fabric8.kubernetes.api.model.Event event(int i) {
    return new EventBuilder().withNewMetadata().withName("agent-" + i + ".probe").endMetadata()
        .withType("Normal").withReason("Created").withMessage("created remote deployment " + i)
        .withNewInvolvedObject().withApiVersion("agentdeploy.io/v1alpha1").withKind("AgentDeployment")
        .withNamespace(NAMESPACE).withName("agent-" + i).endInvolvedObject().build();
  }
}

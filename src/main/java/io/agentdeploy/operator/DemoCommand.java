package io.agentdeploy.operator;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.config.LogSetup;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.agentdeploy.operator.runtime.Manifests;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import io.agentdeploy.operator.simulator.FailureRule;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Everything in one process: an embedded Kubernetes API, the simulator and the operator. Applies
 * the examples, follows them to Ready (one fails its build on purpose), edits one, deletes them
 * all, and prints what reached the remote. Exits non-zero if anything does not converge.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Run the operator against an embedded Kubernetes API and the simulator, end to end.")
public class DemoCommand implements Callable<Integer> {
  // The preview example is left out: its fixed expiry date would make the demo's outcome depend on the day.
  static final List<String> EXAMPLES = List.of("controlplane-langsmith-cloud.yaml",
      "controlplane-langsmith-self-hosted.yaml", "controlplane-agentex.yaml", "langsmith-docker.yaml",
      "langsmith-github.yaml", "langsmith-env-from-secret.yaml", "agentex-image.yaml");
  private static final String FAILING = "research-agent";
  private static final String EDITED = "support-agent";

  @Option(names = "--timeout", defaultValue = "100s", converter = io.agentdeploy.operator.config.DurationConverter.class,
      description = "Give up (exit 1) when a step takes longer than this in total.")
  Duration timeout;

  private final PrintStream out = System.out;
  private Instant deadline;

  @Override
  public Integer call() throws Exception {
    if (!io.agentdeploy.operator.runtime.DemoDependencies.present()) {
      System.err.println(io.agentdeploy.operator.runtime.DemoDependencies.MISSING);
      return 1;
    }
    LogSetup.quiet();
    deadline = Instant.now().plus(timeout);
    List<HasMetadata> manifests = loadExamples();
    String failingRef = repoRefOf(manifests, FAILING);
    SimulatorConfig simConfig = SimulatorConfig.defaults()
        .withTimings(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(2))
        // The simulator, not the example, decides that this build fails: the example stays valid.
        .withFailureRules(List.of(FailureRule.repoRef("^" + Pattern.quote(failingRef) + "$", "BUILD_FAILED")));
    OperatorConfig config = OperatorConfig.defaults().withServerSideApply(false)
        .withTimings(Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(5),
            Duration.ofMinutes(1), Duration.ofMillis(500), Duration.ofSeconds(5));
    try (Simulator sim = Simulator.start(simConfig);
        EmbeddedKubernetes kube = EmbeddedKubernetes.start();
        OperatorRuntime operator = OperatorRuntime.start(kube.newClient(), config, Clock.systemUTC(), true)) {
      KubernetesClient client = kube.client();
      out.println("Embedded Kubernetes API, simulator at " + sim.baseUrl() + ", operator started.");
      out.println("The simulator fails builds of ref '" + failingRef + "' (used by " + FAILING + ").");
      out.println();
      step("1. Apply examples/ (control planes pointed at the simulator)");
      apply(client, manifests, sim.baseUrl());
      List<String> names = manifests.stream().filter(m -> m instanceof AgentDeployment)
          .map(m -> m.getMetadata().getName()).toList();
      String ns = manifests.get(0).getMetadata().getNamespace();
      boolean ok = watch(client, ns, names, a -> FAILING.equals(a.getMetadata().getName())
          ? "RevisionFailed".equals(readyReason(a)) : readyNow(a));

      step("2. Edit " + EDITED + ": a new image tag rolls out as a new revision");
      AgentDeployment before = get(client, ns, EDITED);
      String oldRevision = before == null ? null : before.getStatus().getLatestRevisionId();
      client.resources(AgentDeployment.class).inNamespace(ns).withName(EDITED).edit(a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri(
            a.getSpec().getLangsmith().getRevisionConfig().getImageUri().replaceAll(":[^:]*$", ":1.5.0"));
        return a;
      });
      ok &= watch(client, ns, List.of(EDITED), a -> readyNow(a) && a.getStatus().getLatestRevisionId() != null
          && !a.getStatus().getLatestRevisionId().equals(oldRevision));

      step("3. Delete every AgentDeployment: remote deployments are deleted, then the finalizers released");
      client.resources(AgentDeployment.class).inNamespace(ns).delete();
      ok &= watch(client, ns, names, a -> false);
      long remaining = sim.langsmith().deployments().size() + sim.agentex().deploys().stream()
          .filter(d -> !java.util.Set.of("DELETED", "SUPERSEDED", "CANCELLED").contains(d.path("status").asText()))
          .count();
      out.printf("Remote deployments left on the simulator: %d (LangSmith gone; Agentex deploys DELETED)%n%n",
          remaining);
      ok &= remaining == 0;

      step("Requests the operator sent to the control plane");
      out.printf("%-22s %6s%n", "OPERATION", "COUNT");
      for (Map.Entry<SimOperation, Long> e : sim.requests().counts().entrySet()) {
        out.printf("%-22s %6d%n", e.getKey(), e.getValue());
      }
      out.println();
      io.agentdeploy.operator.runtime.Startup.firstReconcileMillis()
          .ifPresent(ms -> out.printf("First reconcile %d ms after JVM start%n", ms));
      io.agentdeploy.operator.runtime.Startup.peakRssMib()
          .ifPresent(mib -> out.printf("Peak memory (RSS) %d MiB%n", mib));
      out.println(ok ? "Demo finished: every resource converged." : "Demo FAILED: something did not converge.");
      return ok ? 0 : 1;
    }
  }

  private void step(String title) {
    out.println("== " + title);
  }

  static List<HasMetadata> loadExamples() throws IOException {
    List<HasMetadata> all = new ArrayList<>();
    for (String name : EXAMPLES) {
      try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream("examples/" + name)) {
        if (in == null) {
          throw new IOException("example " + name + " is not packaged in the jar");
        }
        all.addAll(Manifests.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return all;
  }

  private static String repoRefOf(List<HasMetadata> manifests, String name) {
    return manifests.stream().filter(m -> m instanceof AgentDeployment && name.equals(m.getMetadata().getName()))
        .map(m -> ((AgentDeployment) m).getSpec().getLangsmith().getRevisionConfig().getRepoRef()).findFirst()
        .orElseThrow(() -> new IllegalStateException("example " + name + " not found"));
  }

  /**
   * The Secrets the examples refer to (as the quickstart's {@code kubectl create secret} would), then
   * ConfigMaps, ControlPlanes (aimed at the simulator) and AgentDeployments.
   */
  private void apply(KubernetesClient client, List<HasMetadata> manifests, String simulatorUrl) {
    for (Secret secret : DemoSecrets.referencedBy(manifests)) {
      client.resource(secret).create();
      out.println("  Secret " + secret.getMetadata().getName() + " (made-up values, as kubectl create secret)");
    }
    for (HasMetadata m : manifests) {
      if (m instanceof io.fabric8.kubernetes.api.model.ConfigMap) {
        client.resource(m).create();
      }
    }
    for (HasMetadata m : manifests) {
      if (m instanceof ControlPlane cp) {
        String path = cp.getSpec().getBaseUrl().replaceFirst("^https?://[^/]+", "");
        cp.getSpec().setBaseUrl(simulatorUrl + path);
        client.resource(cp).create();
        out.println("  ControlPlane " + cp.getMetadata().getName() + " -> " + cp.getSpec().getBaseUrl());
      }
    }
    for (HasMetadata m : manifests) {
      if (m instanceof AgentDeployment a) {
        client.resource(a).create();
        out.println("  AgentDeployment " + a.getMetadata().getName() + " (" + (a.getSpec().getAgentex() != null
            ? "agentex" : "langsmith " + a.getSpec().getLangsmith().getSource().wireName()) + ")");
      }
    }
    out.println();
  }

  /**
   * Prints the table whenever it changes until every named resource satisfies {@code done} (a
   * deleted resource counts as done when {@code done} is false for all, i.e. waiting for gone).
   */
  private boolean watch(KubernetesClient client, String ns, List<String> names, Predicate<AgentDeployment> done)
      throws InterruptedException {
    String last = "";
    Instant start = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      List<AgentDeployment> items = new ArrayList<>();
      boolean all = true;
      for (String name : names) {
        AgentDeployment a = get(client, ns, name);
        if (a == null) {
          continue;
        }
        items.add(a);
        all &= done.test(a);
      }
      String table = table(items);
      if (!table.equals(last)) {
        out.printf("[%5.1fs]%n%s", Duration.between(start, Instant.now()).toMillis() / 1000.0, table);
        last = table;
      }
      if (all) {
        out.println();
        return true;
      }
      Thread.sleep(250);
    }
    out.println("Timed out waiting for: " + names);
    return false;
  }

  private static String table(List<AgentDeployment> items) {
    StringBuilder b = new StringBuilder(String.format("  %-16s %-9s %-6s %-16s %-9s %s%n", "NAME", "PHASE", "READY",
        "REVISION-STATUS", "REVISION", "MESSAGE"));
    if (items.isEmpty()) {
      b.append("  (no AgentDeployments left)\n");
    }
    for (AgentDeployment a : items) {
      var s = a.getStatus();
      var ready = s == null ? null : Conditions.find(s.getConditions(), Conditions.READY).orElse(null);
      String revision = s == null || s.getLatestRevisionId() == null ? "-" : s.getLatestRevisionId().substring(0, 8);
      b.append(String.format("  %-16s %-9s %-6s %-16s %-9s %s%n", a.getMetadata().getName(),
          s == null || s.getPhase() == null ? "-" : s.getPhase(), ready == null ? "-" : ready.getStatus(),
          s == null || s.getRevisionStatus() == null ? "-" : s.getRevisionStatus(), revision,
          ready == null ? "" : ready.getMessage()));
    }
    return b.toString();
  }

  private static AgentDeployment get(KubernetesClient client, String ns, String name) {
    return client.resources(AgentDeployment.class).inNamespace(ns).withName(name).get();
  }

  private static boolean readyNow(AgentDeployment a) {
    return a.getStatus() != null && Conditions.find(a.getStatus().getConditions(), Conditions.READY)
        .map(c -> "True".equals(c.getStatus()) && a.getMetadata().getGeneration().equals(c.getObservedGeneration()))
        .orElse(false);
  }

  private static String readyReason(AgentDeployment a) {
    return a.getStatus() == null ? null
        : Conditions.find(a.getStatus().getConditions(), Conditions.READY).map(c -> c.getReason()).orElse(null);
  }
}

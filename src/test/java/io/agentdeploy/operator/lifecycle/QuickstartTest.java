package io.agentdeploy.operator.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.lifecycle.QuickstartRunner.Step;
import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import io.agentdeploy.operator.simulator.Simulator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The quickstart blocks of README.md and docs/install.md (and the sandbox's), pasted: every line
 * runs in order against an API server that starts empty (no CRDs), {@code helm install} starts the
 * operator, and each {@code kubectl wait} must come true. The only liberty taken: ControlPlanes are
 * pointed at a simulator on loopback instead of LangSmith Cloud or the sandbox's Service.
 */
class QuickstartTest {
  private static final Path README = Path.of("README.md");
  private static final Path INSTALL = Path.of("docs/install.md");

  @Test
  void theReadmeQuickstartReachesReadyWithoutAnyLineChangingAnEarlierOne() throws Exception {
    assertEquals(List.of(Step.CRDS, Step.OPERATOR, Step.SECRET, Step.CONTROL_PLANE, Step.WAIT_CONTROL_PLANE,
        Step.AGENT, Step.WAIT_AGENT), run(QuickstartRunner.block(README, "## Install on a cluster")));
  }

  @Test
  void theInstallGuideQuickstartIsTheReadmeOne() throws Exception {
    assertEquals(QuickstartRunner.block(README, "## Install on a cluster"),
        QuickstartRunner.block(INSTALL, "## Quickstart"));
  }

  @Test
  void theSandboxReachesReadyWithoutAnyLineChangingAnEarlierOne() throws Exception {
    assertEquals(List.of(Step.BUILD, Step.BUILD, Step.BUILD, Step.CRDS, Step.OPERATOR, Step.OTHER, Step.SECRET,
        Step.CONTROL_PLANE, Step.WAIT_CONTROL_PLANE, Step.AGENT, Step.WAIT_AGENT),
        run(QuickstartRunner.block(INSTALL, "## Try it without an account")));
  }

  /**
   * Runs the block on an empty API server with a simulator that accepts only the key the block
   * types (a replaced key would leave the ControlPlane Unauthorized and its kubectl wait would time
   * out); returns the steps in order, namespaces and reads left out.
   */
  private static List<Step> run(List<QuickstartRunner.Line> block) throws Exception {
    String typedKey = block.stream().flatMap(l -> l.words().stream()).filter(w -> w.startsWith("--from-literal=apiKey="))
        .findFirst().orElseThrow().substring("--from-literal=apiKey=".length());
    AtomicReference<OperatorRuntime> operator = new AtomicReference<>();
    try (Simulator sim = Simulator.start(SimulatedWorld.fastSimulator().withApiKey(typedKey));
        EmbeddedKubernetes kube = EmbeddedKubernetes.startWithoutCrds()) {
      QuickstartRunner runner = new QuickstartRunner(kube.client(), List.of(Path.of(".")),
          () -> operator.set(OperatorRuntime.start(kube.newClient(), OperatorHarness.FAST, Clock.systemUTC(), true)),
          object -> toSimulator(object, sim.baseUrl()));
      try {
        runner.run(block);
      } finally {
        if (operator.get() != null) {
          operator.get().close();
        }
      }
      assertTrue(sim.requests().all().stream().noneMatch(r -> r.status() == 401),
          "every remote call used the key from kubectl create secret");
      List<Step> steps = new ArrayList<>(runner.steps());
      steps.removeIf(s -> s == Step.NAMESPACE || s == Step.READ);
      return steps;
    }
  }

  /** The quickstart as it was: an example file re-creates the Secret with a placeholder key. */
  @Test
  void aLineThatOverwritesTheKeyOfAnEarlierLineFails() throws Exception {
    Path dir = Files.createTempDirectory("quickstart");
    Files.createDirectories(dir.resolve("examples"));
    Files.writeString(dir.resolve("examples/controlplane-langsmith-cloud.yaml"), """
        apiVersion: v1
        kind: Secret
        metadata: {name: langsmith-api-key, namespace: agents}
        stringData: {apiKey: lsv2_sk_replace_with_your_key}
        ---
        """ + Files.readString(Path.of("examples/controlplane-langsmith-cloud.yaml")));
    List<QuickstartRunner.Line> old = QuickstartRunner.lines(List.of(
        "kubectl create namespace agents",
        "kubectl apply --server-side -f crds/                       # the CRDs",
        "kubectl create secret generic langsmith-api-key -n agents --from-literal=apiKey=lsv2_...",
        "kubectl apply -f examples/controlplane-langsmith-cloud.yaml   # edit tenantId first"));
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.startWithoutCrds()) {
      QuickstartRunner runner = new QuickstartRunner(kube.client(), List.of(dir, Path.of(".")), () -> { },
          object -> object);
      AssertionError e = assertThrows(QuickstartRunner.Clobbered.class, () -> runner.run(old));
      assertTrue(e.getMessage().startsWith("line 4 (kubectl apply -f examples/controlplane-langsmith-cloud.yaml) "
          + "changes Secret agents/langsmith-api-key, which line 3 (kubectl create secret generic"), e.getMessage());
    }
  }

  private static HasMetadata toSimulator(HasMetadata object, String simulatorUrl) {
    if (object instanceof ControlPlane cp) {
      String path = cp.getSpec().getBaseUrl().replaceFirst("^https?://[^/]+", "");
      cp.getSpec().setBaseUrl(simulatorUrl + path);
    }
    return object;
  }
}

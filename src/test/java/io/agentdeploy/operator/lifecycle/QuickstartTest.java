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
 * README's "Install on a cluster" block, pasted: every line runs in order against an API server
 * that starts empty (no CRDs), {@code helm install} starts the operator, and each
 * {@code kubectl wait} must come true. The only liberty taken: ControlPlanes are pointed at the
 * simulator instead of LangSmith Cloud, which accepts the block's placeholder key.
 */
class QuickstartTest {
  private static final Path README = Path.of("README.md");
  private static final String HEADING = "## Install on a cluster";

  @Test
  void theReadmeQuickstartReachesReadyWithoutAnyLineChangingAnEarlierOne() throws Exception {
    List<QuickstartRunner.Line> block = QuickstartRunner.block(README, HEADING);
    String typedKey = block.stream().flatMap(l -> l.words().stream()).filter(w -> w.startsWith("--from-literal=apiKey="))
        .findFirst().orElseThrow().substring("--from-literal=apiKey=".length());
    AtomicReference<OperatorRuntime> operator = new AtomicReference<>();
    // The simulator accepts only the key typed in the block: a replaced key would leave the
    // ControlPlane Unauthorized and its kubectl wait would time out.
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
      // The order a newcomer needs: nothing waits on something that is not there yet.
      List<Step> steps = new ArrayList<>(runner.steps());
      steps.removeIf(s -> s == Step.NAMESPACE || s == Step.READ);
      assertEquals(List.of(Step.CRDS, Step.OPERATOR, Step.SECRET, Step.CONTROL_PLANE, Step.WAIT_CONTROL_PLANE,
          Step.AGENT, Step.WAIT_AGENT), steps);
      assertTrue(sim.requests().all().stream().noneMatch(r -> r.status() == 401),
          "every remote call used the key from kubectl create secret");
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

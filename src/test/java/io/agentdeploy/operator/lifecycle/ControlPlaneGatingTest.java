package io.agentdeploy.operator.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.controller.Conditions;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Without a working ControlPlane nothing is sent anywhere and the resource says why. */
class ControlPlaneGatingTest {
  private static OperatorHarness env;

  @BeforeAll
  static void start() {
    env = new OperatorHarness();
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void missingControlPlaneIsReportedOnTheResource() {
    env.client.resource(Resources.dockerAgent("orphan-ref", "does-not-exist", "registry.example.com/a:1")).create();
    var agd = env.awaitAgent("orphan-ref", Duration.ofSeconds(20),
        OperatorHarness.reason(Conditions.SYNCED, "ControlPlaneNotFound"));
    assertTrue(OperatorHarness.condition(agd, Conditions.SYNCED).get().getMessage().contains("does-not-exist"));
    assertEquals("Pending", agd.getStatus().getPhase());
    assertTrue(agd.getMetadata().getFinalizers().contains("agentdeploy.io/finalizer"));
  }

  @Test
  void unreachableControlPlaneIsNotReadyAndGatesItsDeployments() throws Exception {
    env.client.resource(Resources.apiKeySecret("unreachable-key", "lsv2_test_key_123")).create();
    env.client.resource(Resources.controlPlane("unreachable", "http://127.0.0.1:" + closedPort(), "unreachable-key",
        null)).create();
    ControlPlane cp = await().atMost(Duration.ofSeconds(20)).until(() -> env.controlPlane("unreachable"),
        c -> c.getStatus() != null && Conditions.find(c.getStatus().getConditions(), Conditions.READY).isPresent());
    var ready = Conditions.find(cp.getStatus().getConditions(), Conditions.READY).get();
    assertEquals("False", ready.getStatus());
    assertEquals("Unreachable", ready.getReason());
    assertTrue(!ready.getMessage().contains("lsv2_test_key_123"), "the API key must not leak into status");

    env.client.resource(Resources.dockerAgent("gated", "unreachable", "registry.example.com/a:1")).create();
    var agd = env.awaitAgent("gated", Duration.ofSeconds(20),
        OperatorHarness.reason(Conditions.SYNCED, "ControlPlaneNotReady"));
    assertTrue(OperatorHarness.condition(agd, Conditions.SYNCED).get().getMessage().contains("unreachable"));
  }

  @Test
  void missingApiKeySecretIsReportedOnTheControlPlane() {
    env.client.resource(Resources.controlPlane("no-key", "http://127.0.0.1:1", "missing-secret", null)).create();
    ControlPlane cp = await().atMost(Duration.ofSeconds(20)).until(() -> env.controlPlane("no-key"),
        c -> c.getStatus() != null && Conditions.find(c.getStatus().getConditions(), Conditions.READY).isPresent());
    assertEquals("SecretNotFound", Conditions.find(cp.getStatus().getConditions(), Conditions.READY).get().getReason());
  }

  @Test
  void controlPlaneAndItsSecretOutliveTheDeploymentsThatNeedThem() throws Exception {
    env.client.resource(Resources.apiKeySecret("guarded-key", "lsv2_guarded_key")).create();
    env.client.resource(Resources.controlPlane("guarded", "http://127.0.0.1:" + closedPort(), "guarded-key", null))
        .create();
    env.client.resource(Resources.dockerAgent("guarded-user", "guarded", "registry.example.com/a:1")).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> env.client.secrets().inNamespace(Resources.NS)
        .withName("guarded-key").get().getMetadata().getFinalizers().contains("agentdeploy.io/credentials-in-use"));
    env.awaitAgent("guarded-user", Duration.ofSeconds(20), a -> a.getMetadata().getFinalizers() != null
        && a.getMetadata().getFinalizers().contains("agentdeploy.io/finalizer"));

    // Everything deleted at once, as a namespace deletion does.
    env.client.secrets().inNamespace(Resources.NS).withName("guarded-key").delete();
    env.client.resources(ControlPlane.class).inNamespace(Resources.NS).withName("guarded").delete();
    ControlPlane kept = await().atMost(Duration.ofSeconds(20)).until(() -> env.controlPlane("guarded"),
        c -> c != null && c.getStatus() != null && Conditions.find(c.getStatus().getConditions(), "Deleting")
            .map(d -> "InUse".equals(d.getReason())).orElse(false));
    assertTrue(Conditions.find(kept.getStatus().getConditions(), "Deleting").get().getMessage()
        .contains("guarded-user"));
    assertTrue(env.client.secrets().inNamespace(Resources.NS).withName("guarded-key").get() != null,
        "the API key Secret is kept while the ControlPlane needs it");

    env.client.resources(io.agentdeploy.operator.api.AgentDeployment.class).inNamespace(Resources.NS)
        .withName("guarded-user").delete();
    env.awaitGone("guarded-user");
    await().atMost(Duration.ofSeconds(20)).until(() -> env.controlPlane("guarded") == null);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        env.client.secrets().inNamespace(Resources.NS).withName("guarded-key").get() == null);
  }
}

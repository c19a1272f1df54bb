package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.RateLimit;
import io.agentdeploy.operator.controller.Conditions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Editing a Ready ControlPlane (its rate limit, a typo fix) is checked again before its
 * AgentDeployments use the new spec; while it is checked they wait without rewriting their status,
 * and a spec that fails the check still reaches them at once.
 */
class ControlPlaneEditTest {
  private static final int RESOURCES = 20;

  @Test
  void anEditThatPassesTheCheckWritesNoAgentDeploymentStatusAndOneThatFailsReachesThemAtOnce() throws Exception {
    try (SimulatedWorld world = new SimulatedWorld()) {
      for (int i = 0; i < RESOURCES; i++) {
        world.apply(Resources.dockerAgent("edit-" + i, SimulatedWorld.CONTROL_PLANE, "registry.example.com/edit:1"));
      }
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> world.env.client
          .resources(AgentDeployment.class).inNamespace(Resources.NS).list().getItems().stream()
          .filter(a -> a.getMetadata().getName().startsWith("edit-")).filter(OperatorHarness::readyNow).count()
          == RESOURCES);
      try (AgentDeploymentWrites writes = AgentDeploymentWrites.of(world.env.client, AgentDeploymentWrites.namedLike("edit-"))) {
        Thread.sleep(500);
        writes.reset();
        edit(world, cp -> {
          RateLimit limit = new RateLimit();
          limit.setRequestsPerSecond(150.0);
          limit.setBurst(40);
          cp.getSpec().setRateLimit(limit);
        });
        awaitVerdict(world, 2L);
        Thread.sleep(2000); // the resources' next passes, woken by the verdict
        System.out.printf("ControlPlane edit that passes its check: %d AgentDeployment status writes for %d "
            + "resources%n", writes.count(), RESOURCES);
        assertEquals(0, writes.count(), "an edit that passes the check changes nothing on the AgentDeployments");

        edit(world, cp -> cp.getSpec().setApiKeySecretRef(new io.agentdeploy.operator.api.SecretKeySelector(
            "no-such-secret", "apiKey")));
        awaitVerdict(world, 3L);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> world.env.client
            .resources(AgentDeployment.class).inNamespace(Resources.NS).list().getItems().stream()
            .filter(a -> a.getMetadata().getName().startsWith("edit-"))
            .allMatch(OperatorHarness.reason(Conditions.SYNCED, "ControlPlaneNotReady")::test));
        // The watch that counts delivers after the list shows the state: wait for it to catch up.
        await("a failing check reaches every resource").atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100)).until(() -> writes.count() >= RESOURCES);
      }
    }
  }

  private static void edit(SimulatedWorld world, java.util.function.Consumer<ControlPlane> change) {
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> world.env.client
        .resources(ControlPlane.class).inNamespace(Resources.NS).withName(SimulatedWorld.CONTROL_PLANE).edit(cp -> {
          change.accept(cp);
          return cp;
        }) != null);
  }

  private static void awaitVerdict(SimulatedWorld world, long generation) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
        () -> world.env.controlPlane(SimulatedWorld.CONTROL_PLANE),
        cp -> cp.getStatus() != null && Long.valueOf(generation).equals(cp.getStatus().getObservedGeneration()));
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.EffectiveRateLimit;
import io.agentdeploy.operator.api.RateLimit;
import io.agentdeploy.operator.controller.Conditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A ControlPlane whose finalizer is removed by hand while it waits for its AgentDeployments: JOSDK
 * calls no cleanup, so the periodic sweep (every resync, 3 s here) is what drops the operator's
 * memory of it. Seen from outside: its readiness series leaves the metrics, and the account's
 * shared rate limit it had lowered rises again for the ControlPlane still on that account.
 */
class ControlPlaneSweepTest {
  @Test
  void aControlPlaneGoneWithoutItsCleanupLeavesNothingBehindAfterASweep() {
    try (SimulatedWorld world = new SimulatedWorld()) {
      // The world's own ControlPlane asks for the harness default (200/s, burst 50); this one, on the
      // same account (same URL, tenant and key), asks for less and so sets the account's limit.
      ControlPlane swept = Resources.controlPlane("swept", world.sim.baseUrl(), "langsmith-key", SimulatedWorld.TENANT);
      RateLimit limit = new RateLimit();
      limit.setRequestsPerSecond(100.0);
      limit.setBurst(20);
      swept.getSpec().setRateLimit(limit);
      world.env.client.resource(swept).create();
      String self = Resources.NS + "/" + SimulatedWorld.CONTROL_PLANE;
      awaitLimit(world, SimulatedWorld.CONTROL_PLANE, new EffectiveRateLimit(100.0, 20, Resources.NS + "/swept"));
      await().atMost(Duration.ofSeconds(10)).until(() -> readinessSeries(world, "swept"));

      // In use by an AgentDeployment, so its deletion waits; then someone removes the finalizer.
      world.apply(Resources.dockerAgent("sweep-user", "swept", "registry.example.com/agent:1"));
      world.env.awaitReady("sweep-user");
      world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS).withName("swept").delete();
      await().atMost(Duration.ofSeconds(10)).until(() -> world.env.controlPlane("swept").getStatus().getConditions()
          .stream().anyMatch(c -> "Deleting".equals(c.getType()) && "InUse".equals(c.getReason())));
      world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS).withName("swept").edit(cp -> {
        cp.getMetadata().setFinalizers(List.of());
        return cp;
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> world.env.controlPlane("swept") == null);
      assertTrue(readinessSeries(world, "swept"), "no cleanup ran: its series is still there before a sweep");

      // Within a sweep or two: the series is gone and the account's limit is the remaining ask again.
      await().atMost(Duration.ofSeconds(10)).until(() -> !readinessSeries(world, "swept"));
      awaitLimit(world, SimulatedWorld.CONTROL_PLANE, new EffectiveRateLimit(200.0, 50, self));
      assertTrue(Conditions.isTrue(world.env.controlPlane(SimulatedWorld.CONTROL_PLANE).getStatus().getConditions(),
          Conditions.READY));
    }
  }

  private static void awaitLimit(SimulatedWorld world, String controlPlane, EffectiveRateLimit expected) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> world.env.controlPlane(controlPlane).getStatus(), s -> s != null
            && expected.equals(s.getRateLimit()));
  }

  /** Whether the operator exports agentdeploy_controlplane_ready for the ControlPlane of that name. */
  private static boolean readinessSeries(SimulatedWorld world, String name) {
    return world.env.runtime().meters().scrape().lines().anyMatch(l -> l.startsWith("agentdeploy_controlplane_ready{")
        && l.contains("name=\"" + name + "\""));
  }
}

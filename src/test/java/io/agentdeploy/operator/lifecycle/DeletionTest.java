package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.DeletionPolicy;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A remote that takes long to delete: the resource waits, warns, and Orphan is the way out. */
class DeletionTest {
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatorConfig.defaults()
        .withTimings(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(60)),
        OperatorHarness.FAST.withTimings(OperatorHarness.FAST.resync(), OperatorHarness.FAST.pollInitial(),
            OperatorHarness.FAST.pollMax(), OperatorHarness.FAST.progressDeadline(), Duration.ofSeconds(1),
            OperatorHarness.FAST.retryInitial(), OperatorHarness.FAST.retryMax()));
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @AfterEach
  void contract() {
    world.assertContract();
  }

  @Test
  void stuckRemoteDeleteWarnsAndOrphanReleasesTheResource() {
    world.apply(Resources.dockerAgent("slow-delete", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
    String id = world.env.awaitReady("slow-delete").getStatus().getDeploymentId();
    world.delete("slow-delete");
    AgentDeployment deleting = world.env.awaitAgent("slow-delete", Duration.ofSeconds(10),
        OperatorHarness.reason(Conditions.READY, "Deleting"));
    assertEquals("Deleting", deleting.getStatus().getPhase());
    await().atMost(Duration.ofSeconds(10)).until(() -> world.env.eventCount("slow-delete", "DeleteStuck") >= 1);
    assertTrue(world.env.events("slow-delete").stream().filter(e -> "DeleteStuck".equals(e.getReason()))
        .allMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains("deletionPolicy: Orphan")));
    assertEquals(1, world.count("slow-delete", id, SimOperation.DELETE_DEPLOYMENT), "one DELETE, then polling");

    world.edit("slow-delete", a -> {
      a.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);
      return a;
    });
    world.env.awaitGone("slow-delete");
    assertEquals("AWAITING_DELETE", world.remote("slow-delete").get(0).path("status").asText(),
        "the remote deletion goes on by itself; the resource was released");
    assertTrue(world.sim.requests().all().stream().noneMatch(r -> r.query() != null && r.query().contains("force")));
    assertEquals(condition(deleting, Conditions.READY).get().getStatus(), "False");
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.config.LeaderElection;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.SimOperation;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop (a rolling upgrade, a scale-down) while a create is in flight: the reconcile
 * gets its answer and records the deployment before the Lease goes to a standby, so the next
 * leader never starts while a write of the old one is unanswered.
 */
class ShutdownOrderTest {
  private static final OperatorConfig LEADER = OperatorHarness.FAST.withLeaderElection(new LeaderElection(true,
      "shutdown-order-test", "default", "replica-a", Duration.ofSeconds(2), Duration.ofMillis(1500),
      Duration.ofMillis(300)));

  @Test
  void aCreateInFlightIsAnsweredAndRecordedBeforeTheLeaseIsReleased() {
    try (SimulatedWorld world = new SimulatedWorld(SimulatedWorld.fastSimulator(), LEADER)) {
      world.apply(Resources.dockerAgent("warm-up", SimulatedWorld.CONTROL_PLANE, "registry.example.com/w:1"));
      world.env.awaitReady("warm-up");
      // Held by the simulator for 1.5 s after it arrives: under the 2 s request timeout.
      world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Delay(1_500));
      world.apply(Resources.dockerAgent("in-flight", SimulatedWorld.CONTROL_PLANE, "registry.example.com/f:1"));
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
          .until(() -> world.sim.faults().queued(SimOperation.CREATE_DEPLOYMENT) == 0);

      world.env.stopOperator();

      AgentDeployment recorded = world.env.get("in-flight");
      assertNotNull(recorded.getStatus().getDeploymentId(),
          "the create's answer was recorded before the stop returned");
      assertNull(recorded.getStatus().getWriteAhead(), "and its write-ahead record retired");
      assertEquals(1, world.count("in-flight", null, SimOperation.CREATE_DEPLOYMENT));
      Lease lease = world.env.client.leases().inNamespace("default").withName("shutdown-order-test").get();
      assertEquals("", lease.getSpec().getHolderIdentity(), "the Lease was given up on the way out");
      // The mock API server numbers every write in one sequence: the status came first.
      assertTrue(Long.parseLong(recorded.getMetadata().getResourceVersion())
          < Long.parseLong(lease.getMetadata().getResourceVersion()),
          "the status write (" + recorded.getMetadata().getResourceVersion() + ") preceded the Lease release ("
              + lease.getMetadata().getResourceVersion() + ")");
      world.env.startOperator(); // so the world closes as it opened
    }
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentdeploy.operator.config.LeaderElection;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** agentdeploy_leader follows JOSDK's leader callbacks: 1 on the replica holding the Lease, 0 on a standby. */
class LeaderGaugeTest {
  private static OperatorConfig replica(String identity) {
    return OperatorHarness.FAST.withLeaderElection(new LeaderElection(true, "leader-gauge-test", "default", identity,
        Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(300)));
  }

  private static double leader(OperatorRuntime runtime) {
    return runtime.meters().get("agentdeploy.leader").gauge().value();
  }

  @Test
  void onlyTheLeaseHolderReportsLeading() {
    try (SimulatedWorld world = new SimulatedWorld(SimulatedWorld.fastSimulator(), replica("replica-a"))) {
      OperatorRuntime first = world.env.runtime();
      await().atMost(Duration.ofSeconds(20)).until(() -> leader(first) == 1.0);
      try (OperatorRuntime standby = OperatorRuntime.start(world.env.kube.newClient(), replica("replica-b"),
          Clock.systemUTC(), true)) {
        assertEquals(0.0, leader(standby), "a standby does not lead while the other replica holds the Lease");
        // A graceful stop releases the Lease: the standby takes it and says so.
        world.env.stopOperator();
        await().atMost(Duration.ofSeconds(20)).until(() -> leader(standby) == 1.0);
      }
    }
  }
}

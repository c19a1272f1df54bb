package io.agentdeploy.operator.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.api.ControlPlaneReference;
import io.agentdeploy.operator.controller.Conditions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An operator installed without ClusterControlPlanes says so on a resource that refers to one. */
class ClusterControlPlanesDisabledTest {
  @Test
  void aReferenceToAClusterControlPlaneIsAClearProblem() {
    try (SimulatedWorld world = new SimulatedWorld(SimulatedWorld.fastSimulator(),
        OperatorHarness.FAST.withClusterControlPlanes(false))) {
      AgentDeployment agd = Resources.dockerAgent("uses-cluster-cp", "shared", "registry.example.com/agent:v1");
      agd.getSpec().setControlPlaneRef(new ControlPlaneReference("shared", ControlPlaneKind.ClusterControlPlane));
      world.apply(agd);

      AgentDeployment reported = world.env.awaitAgent("uses-cluster-cp", Duration.ofSeconds(20),
          OperatorHarness.reason(Conditions.SYNCED, "ClusterControlPlanesDisabled"));

      String message = OperatorHarness.condition(reported, Conditions.SYNCED).map(Condition::getMessage).orElse("");
      assertTrue(message.contains("clusterControlPlanes.enabled"), message);
      assertEquals(0, world.sim.requests().matching(r -> r.operation().isWrite()).size());
    }
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.controller.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mistakes people make in what they give the operator get a status that says so, and leak nothing. */
class BadInputTest {
  @Test
  void anApiKeyWithALineBreakInsideIsAClearProblemAndIsNeverPrinted() {
    String key = "lsv2_sk_first_half\nsecond_half_0001";
    try (SimulatedWorld world = new SimulatedWorld()) {
      world.env.client.resource(Resources.secret("broken-key", Map.of("apiKey", key))).create();
      world.env.client.resource(Resources.controlPlane("broken", world.sim.baseUrl(), "broken-key",
          SimulatedWorld.TENANT)).create();

      ControlPlane cp = await().atMost(Duration.ofSeconds(20)).until(() -> world.env.controlPlane("broken"),
          c -> c != null && c.getStatus() != null && Conditions.find(c.getStatus().getConditions(), Conditions.READY)
              .map(r -> "InvalidHeaderValue".equals(r.getReason())).orElse(false));

      Condition ready = Conditions.find(cp.getStatus().getConditions(), Conditions.READY).orElseThrow();
      assertTrue(ready.getMessage().contains("the API key"), ready.getMessage());
      assertFalse(ready.getMessage().contains("first_half") || ready.getMessage().contains("second_half"),
          ready.getMessage());
      for (Event e : world.env.client.v1().events().inAnyNamespace().list().getItems()) {
        assertFalse(e.getMessage() != null && e.getMessage().contains("second_half"), e.getMessage());
      }
    }
  }
}

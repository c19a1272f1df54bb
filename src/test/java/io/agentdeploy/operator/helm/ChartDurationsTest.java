package io.agentdeploy.operator.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.config.DurationConverter;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Helm values take the same Go durations as the flags, and the operator reads what the chart renders. */
class ChartDurationsTest {
  @Test
  void goDurationsPassTheSchemaAndReachTheOperatorAsWritten() {
    Deployment operator = HelmChartTest.ofType(HelmChartTest.render(t -> t.set("operator.pollMax", "1m30s")
        .set("leaderElection.leaseDuration", "1m30s").set("operator.requestTimeout", "1500ms")
        .set("operator.deleteBatchWindow", "150ms")), Deployment.class).get(0);
    Map<String, String> env = operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertEquals(Duration.ofSeconds(90), DurationConverter.parse(env.get("AGENTDEPLOY_POLL_MAX")));
    assertEquals(Duration.ofSeconds(90), DurationConverter.parse(env.get("AGENTDEPLOY_LEASE_DURATION")));
    assertEquals(Duration.ofMillis(1500), DurationConverter.parse(env.get("AGENTDEPLOY_REQUEST_TIMEOUT")));
    assertEquals(Duration.ofMillis(150), DurationConverter.parse(env.get("AGENTDEPLOY_DELETE_BATCH_WINDOW")));
  }

  @Test
  void whatTheOperatorWouldRefuseTheSchemaRefusesFirst() {
    for (String bad : new String[] {"1.5h", "90", "1m 30s", "-1s"}) {
      Exception failure = assertThrows(Exception.class,
          () -> HelmChartTest.render(t -> t.set("operator.pollMax", bad)), bad);
      assertTrue(failure.getMessage().contains("pollMax"), bad + ": " + failure.getMessage());
    }
  }
}

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
        .set("operator.deleteBatchWindow", "150ms").set("operator.retryAfterMax", "2m30s")), Deployment.class).get(0);
    Map<String, String> env = operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertEquals(Duration.ofSeconds(90), DurationConverter.parse(env.get("AGENTDEPLOY_POLL_MAX")));
    assertEquals(Duration.ofSeconds(90), DurationConverter.parse(env.get("AGENTDEPLOY_LEASE_DURATION")));
    assertEquals(Duration.ofMillis(1500), DurationConverter.parse(env.get("AGENTDEPLOY_REQUEST_TIMEOUT")));
    assertEquals(Duration.ofMillis(150), DurationConverter.parse(env.get("AGENTDEPLOY_DELETE_BATCH_WINDOW")));
    assertEquals(Duration.ofSeconds(150), DurationConverter.parse(env.get("AGENTDEPLOY_RETRY_AFTER_MAX")));
  }

  @Test
  void theRetryAfterCapDefaultsToTenMinutesAsTheOperatorDoes() {
    Deployment operator = HelmChartTest.ofType(HelmChartTest.render(t -> t), Deployment.class).get(0);
    String value = operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> "AGENTDEPLOY_RETRY_AFTER_MAX".equals(e.getName())).findFirst().orElseThrow().getValue();
    assertEquals(io.agentdeploy.operator.config.OperatorConfig.defaults().retryAfterMax(),
        DurationConverter.parse(value));
    Exception failure = assertThrows(Exception.class,
        () -> HelmChartTest.render(t -> t.set("operator.retryAfterMax", "ten minutes")));
    assertTrue(failure.getMessage().contains("retryAfterMax"), failure.getMessage());
  }

  @Test
  void whatTheOperatorWouldRefuseTheSchemaRefusesFirst() {
    for (String bad : new String[] {"1.5h", "90", "1m 30s", "-1s"}) {
      Exception failure = assertThrows(Exception.class,
          () -> HelmChartTest.render(t -> t.set("operator.pollMax", bad)), bad);
      assertTrue(failure.getMessage().contains("pollMax"), bad + ": " + failure.getMessage());
    }
  }

  @Test
  void theGracePeriodFollowsTheRequestTimeoutAndASmallerOneIsRefused() {
    assertEquals(45L, gracePeriod(t -> t), "the default request timeout (30s) plus 15 s");
    assertEquals(77L, gracePeriod(t -> t.set("operator.requestTimeout", "1m1500ms")), "62 s (rounded up) plus 15 s");
    assertEquals(120L, gracePeriod(t -> t.set("terminationGracePeriodSeconds", "120")), "a larger value is kept");
    Exception refused = assertThrows(Exception.class, () -> HelmChartTest.render(
        t -> t.set("operator.requestTimeout", "60s").set("terminationGracePeriodSeconds", "60")));
    assertTrue(refused.getMessage().contains("terminationGracePeriodSeconds 60 is below operator.requestTimeout (60s) plus 15 s = 75"),
        refused.getMessage());
  }

  private static long gracePeriod(java.util.function.UnaryOperator<com.marcnuri.helm.TemplateCommand> values) {
    return HelmChartTest.ofType(HelmChartTest.render(values::apply), Deployment.class).get(0).getSpec().getTemplate()
        .getSpec().getTerminationGracePeriodSeconds();
  }
}

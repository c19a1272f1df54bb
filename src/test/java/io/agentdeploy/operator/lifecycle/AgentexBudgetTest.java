package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.RateLimit;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.simulator.FailureRule;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "Agentex budget": N settled Agentex deployments on an account whose rate limit cannot
 * cover one GET each per resync. The resync stretches to N / budget, the metric shows it, and the
 * GETs stay within the budget.
 */
@Paced
class AgentexBudgetTest {
  private static final int RESOURCES = 16;
  private static final double BUDGET = 4;
  private static final int BURST = 2;
  private static final Duration RESYNC = Duration.ofSeconds(1);
  private static final OperatorConfig CONFIG = OperatorHarness.FAST.withTimings(RESYNC, Duration.ofMillis(200),
      Duration.ofMillis(800), Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofMillis(200),
      Duration.ofSeconds(2));
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatedWorld.fastSimulator()
        .withFailureRules(List.of(FailureRule.agentexImageTag("^broken$"))), CONFIG);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  void theResyncStretchesToWhatTheBudgetCoversAndTheGetsStayWithinIt() throws Exception {
    for (int i = 0; i < RESOURCES; i++) {
      world.apply(Resources.agentexAgent("budget-" + i, SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
    }
    // One whose deploy fails: terminal, so it is neither counted nor read on the resync.
    world.apply(Resources.agentexAgent("budget-failed", SimulatedWorld.AGENTEX_CONTROL_PLANE, "broken"));
    world.env.awaitAgent("budget-failed", Duration.ofSeconds(30), OperatorHarness.reason("Ready", "RevisionFailed"));
    String failedDeploy = world.env.get("budget-failed").getStatus().getDeploymentId();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> world.env.client
        .resources(AgentDeployment.class).inNamespace(Resources.NS).list().getItems().stream()
        .filter(OperatorHarness::readyNow).count() == RESOURCES);
    world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS)
        .withName(SimulatedWorld.AGENTEX_CONTROL_PLANE).edit(cp -> {
          RateLimit limit = new RateLimit();
          limit.setRequestsPerSecond(BUDGET);
          limit.setBurst(BURST);
          cp.getSpec().setRateLimit(limit);
          return cp;
        });

    double stretched = RESOURCES / BUDGET; // 4 s for 16 deploys at 4 GET/s, against a 1 s resync
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> effectiveResync(),
        v -> v == stretched);

    // A window of two stretched periods once the stretch applies everywhere: every deploy is read, none beyond the budget.
    Thread.sleep((long) (stretched * 1200));
    Instant from = Instant.now();
    Thread.sleep((long) (stretched * 2000));
    Instant to = Instant.now();
    List<RecordedRequest> gets = world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_GET
        && !r.time().isBefore(from) && r.time().isBefore(to));
    double seconds = Duration.between(from, to).toMillis() / 1000.0;
    long failedReads = gets.stream().filter(r -> r.path().contains(failedDeploy)).count();
    Map<String, Long> perDeploy = gets.stream().filter(r -> !r.path().contains(failedDeploy)).collect(Collectors.groupingBy(RecordedRequest::path,
        Collectors.counting()));
    System.out.printf("agentex budget: %d deploys, budget %.0f req/s, resync %d s -> effective %.1f s (metric); "
        + "%d GETs in %.1f s = %.2f/s; GETs per deploy min %d max %d; "
        + "GETs of the failed deploy %d%n", RESOURCES, BUDGET, RESYNC.toSeconds(),
        effectiveResync(), gets.size(), seconds, gets.size() / seconds,
        perDeploy.values().stream().mapToLong(Long::longValue).min().orElse(0),
        perDeploy.values().stream().mapToLong(Long::longValue).max().orElse(0), failedReads);

    assertEquals(stretched, effectiveResync(), "the metric shows N / budget");
    assertTrue(gets.size() <= BUDGET * seconds + BURST, gets.size() + " GETs in " + seconds + " s exceed the budget");
    assertEquals(RESOURCES, perDeploy.size(), "every live deploy is still read within two stretched periods");
    assertTrue(failedReads <= 1, "a terminal deploy is not polled on the resync: read " + failedReads + " times");
    // The stretch, not the limiter, paces them: at the 1 s resync each would be read 8 times in the window.
    assertTrue(perDeploy.values().stream().allMatch(n -> n <= 3), "each deploy read about once per stretched period: "
        + perDeploy.values());
  }

  private static double effectiveResync() {
    Gauge gauge = world.env.runtime().meters().find("agentdeploy.effective.resync").tag("kind", "ControlPlane")
        .tag("namespace", Resources.NS).tag("name", SimulatedWorld.AGENTEX_CONTROL_PLANE).gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }
}

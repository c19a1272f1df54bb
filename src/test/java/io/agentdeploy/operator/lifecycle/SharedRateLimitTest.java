package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.EffectiveRateLimit;
import io.agentdeploy.operator.api.RateLimit;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.Simulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two ControlPlanes on one account (same base URL and tenant) asking for 2 and 10 requests/s: the
 * lower limit holds for the account's whole traffic, the ControlPlane that lowered it gets a
 * Warning, both show the applied limit and who set it, and a 429's pause holds for both.
 */
@Paced
class SharedRateLimitTest {
  private static final double LOW_RATE = 2;
  private static final int LOW_BURST = 2;
  private static final int PER_CONTROL_PLANE = 3;
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
    // Only the LangSmith account under test talks to the simulator (the Agentex one is another account).
    world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS)
        .withName(SimulatedWorld.AGENTEX_CONTROL_PLANE).delete();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  void theLowerLimitHoldsIsShownAndWarnedAboutAndAPauseHoldsForBoth() throws Exception {
    // The world's own ControlPlane asks for the harness default (200/s): whichever of the two is
    // checked first while the other is not there yet lowers the account's limit. The low one goes
    // first, so the higher one, created next, lowers nothing.
    world.env.client.resource(limited("slow", LOW_RATE, LOW_BURST)).create();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
        () -> world.env.controlPlane("slow").getStatus(), s -> s != null && s.getRateLimit() != null);
    world.env.client.resource(limited("fast", 10, 10)).create();
    Instant from = Instant.now();
    for (int i = 0; i < PER_CONTROL_PLANE; i++) {
      world.apply(Resources.dockerAgent("fast-" + i, "fast", "registry.example.com/fast:1"));
      world.apply(Resources.dockerAgent("slow-" + i, "slow", "registry.example.com/slow:1"));
    }

    EffectiveRateLimit expected = new EffectiveRateLimit(LOW_RATE, LOW_BURST, Resources.NS + "/slow");
    for (String name : List.of("fast", "slow", SimulatedWorld.CONTROL_PLANE)) {
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
          () -> world.env.controlPlane(name).getStatus(), s -> s != null && expected.equals(s.getRateLimit()));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> world.env.eventCount("slow", "RateLimitLowered") == 1);
    assertEquals("Warning", world.env.events("slow").stream().filter(e -> "RateLimitLowered".equals(e.getReason()))
        .findFirst().orElseThrow().getType());
    assertEquals(0, world.env.eventCount("fast", "RateLimitLowered"), "the higher limit lowered nothing");

    // Saturated for a while: the account's traffic never exceeds the low limit's rate plus burst.
    Thread.sleep(6000);
    List<Instant> sent = langsmith(from, Instant.now()).stream().map(RecordedRequest::time).toList();
    int busiest = RequestTimes.busiestSecond(sent);
    System.out.printf("shared limit: %d requests in %d ms, busiest second %d (limit %.0f/s, burst %d)%n",
        sent.size(), Duration.between(from, Instant.now()).toMillis(), busiest, LOW_RATE, LOW_BURST);
    assertTrue(sent.size() > 10, "enough traffic to saturate the limit (" + sent.size() + ")");
    assertTrue(busiest <= LOW_RATE + LOW_BURST, "busiest second " + busiest + " within the lower limit");

    // A 429 with Retry-After 3 pauses the account: neither ControlPlane's resources send meanwhile.
    world.sim.faults().nextAny(1, new Fault.RateLimited(3));
    RecordedRequest refused = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> world.sim.requests().matching(r -> r.status() == 429).stream().findFirst().orElse(null),
            r -> r != null);
    Thread.sleep(4000);
    Instant pauseFrom = refused.time().plusMillis(300);
    Instant pauseTo = refused.time().plusMillis(2700);
    List<RecordedRequest> duringPause = langsmith(pauseFrom, pauseTo);
    List<RecordedRequest> afterPause = langsmith(refused.time().plusSeconds(3), Instant.now());
    System.out.printf("shared limit: 429 at %s; requests in the pause: %d; in the second after it: %d%n",
        refused.time(), duringPause.size(), afterPause.size());
    assertEquals(List.of(), duringPause, "no request of either ControlPlane during the Retry-After pause");
    assertTrue(!afterPause.isEmpty(), "traffic resumes after the pause");
  }

  /**
   * Without an account id the key decides the account (AccountKey: the base URL plus a fingerprint
   * of the key): two ControlPlanes on one host with different keys are two accounts with a bucket
   * each, and two with the same key share one (the lower limit holds for both).
   */
  @Test
  void withoutAnAccountIdTheKeyDecidesWhichControlPlanesShareABucket() {
    String keyA = "sgp_key_account_a_0001";
    String keyB = "sgp_key_account_b_0002";
    world.sim.acceptApiKeys(Set.of(SimulatedWorld.API_KEY, keyA, keyB));
    world.env.client.resource(Resources.apiKeySecret("key-a", keyA)).create();
    world.env.client.resource(Resources.apiKeySecret("key-b", keyB)).create();
    List<String> names = List.of("ax-a1", "ax-b", "ax-a2");
    try {
      world.env.client.resource(noAccountId("ax-a1", "key-a", 3, 3)).create();
      awaitLimit("ax-a1", new EffectiveRateLimit(3.0, 3, Resources.NS + "/ax-a1"));
      world.env.client.resource(noAccountId("ax-b", "key-b", 7, 7)).create();
      world.env.client.resource(noAccountId("ax-a2", "key-a", 5, 5)).create();

      awaitLimit("ax-b", new EffectiveRateLimit(7.0, 7, Resources.NS + "/ax-b"));
      awaitLimit("ax-a2", new EffectiveRateLimit(3.0, 3, Resources.NS + "/ax-a1"));
      awaitLimit("ax-a1", new EffectiveRateLimit(3.0, 3, Resources.NS + "/ax-a1"));
      assertEquals(0, world.env.eventCount("ax-b", "RateLimitLowered"), "another key's limit lowered nothing");
    } finally {
      names.forEach(n -> world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS).withName(n).delete());
    }
  }

  private static ControlPlane noAccountId(String name, String keySecret, double rate, int burst) {
    ControlPlane cp = Resources.agentexControlPlane(name, world.sim.baseUrl(), keySecret);
    cp.getSpec().setAccountId(null);
    RateLimit limit = new RateLimit();
    limit.setRequestsPerSecond(rate);
    limit.setBurst(burst);
    cp.getSpec().setRateLimit(limit);
    return cp;
  }

  private static void awaitLimit(String controlPlane, EffectiveRateLimit expected) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
        () -> world.env.controlPlane(controlPlane).getStatus(), s -> s != null && expected.equals(s.getRateLimit()));
  }

  private static ControlPlane limited(String name, double rate, int burst) {
    ControlPlane cp = Resources.controlPlane(name, world.sim.baseUrl(), "langsmith-key", SimulatedWorld.TENANT);
    RateLimit limit = new RateLimit();
    limit.setRequestsPerSecond(rate);
    limit.setBurst(burst);
    cp.getSpec().setRateLimit(limit);
    return cp;
  }

  private static List<RecordedRequest> langsmith(Instant from, Instant to) {
    return world.sim.requests().matching(r -> Simulator.PROVIDER_LANGSMITH.equals(r.provider())
        && !r.time().isBefore(from) && r.time().isBefore(to));
  }
}

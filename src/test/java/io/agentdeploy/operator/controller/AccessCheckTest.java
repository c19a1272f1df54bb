package io.agentdeploy.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.StateHasher;
import io.agentdeploy.operator.remote.http.BaseUrlPolicy;
import io.agentdeploy.operator.remote.http.HttpTransport;
import io.agentdeploy.operator.remote.http.RateLimiters;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control-plane check against the simulator with a clock the test moves: Ready turns False
 * only for what a person must fix; transient trouble and a short run of not-found answers change
 * only Reachable, with the same text every time.
 */
class AccessCheckTest {
  private static final String KEY = "lsv2_sk_access_check_test_0001";
  private static final String UID = "0f0e0d0c-access-check";

  /** A clock the test sets. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  private Simulator sim;
  private final TestClock clock = new TestClock();
  private AccessCheck check;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private RemoteClients clients;
  private ControlPlaneSpec spec;
  private final ObjectMeta meta = new ObjectMetaBuilder().withName("cp").withNamespace("agents").withUid(UID)
      .withGeneration(1L).build();
  private final Optional<Secret> secret = Optional.of(new SecretBuilder().withNewMetadata().withName("key")
      .endMetadata().withStringData(Map.of("apiKey", KEY)).build());

  @BeforeEach
  void start() {
    sim = Simulator.start(SimulatorConfig.defaults().withApiKey(KEY));
    OperatorConfig config = OperatorConfig.defaults();
    RemoteClients clients = new RemoteClients(new HttpTransport(new SimpleMeterRegistry(), Duration.ofSeconds(2),
        Duration.ofSeconds(2), 0), new RateLimiters(), BaseUrlPolicy.of(config.allowedHosts(),
        config.plainHttpHosts()), 100, 100, StateHasher.withKey(new byte[32]));
    this.clients = clients;
    check = new AccessCheck(config, clients, clock, new ControlPlaneReadiness(meters), ControlPlaneKind.ControlPlane);
    spec = new ControlPlaneSpec();
    spec.setProvider(Provider.LANGSMITH);
    spec.setBaseUrl(sim.baseUrl());
    spec.setTenantId("3d6f1a2b-4c5e-4f7a-8b9c-0d1e2f3a4b5c");
    spec.setApiKeySecretRef(new SecretKeySelector("key", "apiKey"));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private ControlPlaneStatus checkAt(Duration sinceStart, ControlPlaneStatus before) {
    clock.now = Instant.parse("2026-01-01T00:00:00Z").plus(sinceStart);
    AccessCheck.Outcome outcome = check.check(UID, AccessCheck.checkKey(1L, secret), spec, secret, "ControlPlane cp",
        "agents/cp", java.util.Optional.empty());
    return check.statusAfter(meta, before, outcome);
  }

  private static Condition condition(ControlPlaneStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow();
  }

  @Test
  void notFoundTurnsReadyFalseOnlyAfterThreeChecksOverTwoMinutes() {
    ControlPlaneStatus status = checkAt(Duration.ZERO, new ControlPlaneStatus());
    assertEquals("Connected", condition(status, Conditions.READY).getReason());
    sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 5, new Fault.Status(404));

    // Three not-found answers within a minute: Ready stays True, Reachable says what happens.
    for (int s : new int[] {10, 30, 60}) {
      status = checkAt(Duration.ofSeconds(s), status);
      assertEquals("True", condition(status, Conditions.READY).getStatus(), "at " + s + " s");
      assertEquals("UnexpectedResponse", condition(status, "Reachable").getReason());
    }
    // The fourth, two minutes after the first: now a person must look at spec.baseUrl.
    status = checkAt(Duration.ofSeconds(130), status);
    assertEquals("False", condition(status, Conditions.READY).getStatus());
    assertEquals("UnexpectedResponse", condition(status, Conditions.READY).getReason());

    sim.faults().clear();
    status = checkAt(Duration.ofSeconds(140), status);
    assertEquals("Connected", condition(status, Conditions.READY).getReason());
    assertEquals("Reachable", condition(status, "Reachable").getReason());
  }

  @Test
  void transientTroubleLeavesReadyAloneAndWritesTheSameTextEachTime() {
    ControlPlaneStatus ready = checkAt(Duration.ZERO, new ControlPlaneStatus());
    sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 1, new Fault.Status(503));
    ControlPlaneStatus first = checkAt(Duration.ofSeconds(5), ready);
    sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 1, new Fault.Status(500));
    ControlPlaneStatus second = checkAt(Duration.ofSeconds(9), first);
    sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 1, new Fault.RateLimited(1));
    ControlPlaneStatus throttled = checkAt(Duration.ofSeconds(20), second);

    assertEquals(condition(ready, Conditions.READY), condition(first, Conditions.READY), "Ready untouched");
    assertEquals(condition(ready, Conditions.READY), condition(throttled, Conditions.READY), "Ready untouched");
    assertEquals("Unreachable", condition(first, "Reachable").getReason());
    assertEquals(first, second, "another failure with other details writes nothing new");
    assertEquals("Throttled", condition(throttled, "Reachable").getReason());
  }

  @Test
  void aRefusedKeyTurnsReadyFalseAtOnce() {
    ControlPlaneStatus ready = checkAt(Duration.ZERO, new ControlPlaneStatus());
    sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 1, new Fault.Status(401));
    ControlPlaneStatus refused = checkAt(Duration.ofSeconds(5), ready);
    assertEquals("Unauthorized", condition(refused, Conditions.READY).getReason());
    assertEquals("True", condition(refused, "Reachable").getStatus(), "it answered");
  }

  /** The check's own request: {@code GET /v2/deployments?limit=1}. */
  private long checkRequests() {
    return sim.requests().matching(r -> r.operation() == SimOperation.LIST_DEPLOYMENTS
        && "limit=1".equals(r.query())).size();
  }

  /** Another request with the same credentials, as the batch poller sends every resync. */
  private void otherTraffic() throws Exception {
    clients.clientFor(spec, KEY, "agents/cp").batchReads().orElseThrow()
        .list(java.util.List.of("6a1b2c3d-0000-4000-8000-000000000001"));
  }

  @Test
  void anAnswerToOtherRequestsWithTheSameKeyStandsInForTheNextCheck() throws Exception {
    ControlPlaneStatus ready = checkAt(Duration.ZERO, new ControlPlaneStatus());
    assertEquals(1, checkRequests());
    Duration resync = OperatorConfig.defaults().resync();

    otherTraffic();
    ControlPlaneStatus later = checkAt(resync, ready);
    assertEquals(1, checkRequests(), "the batch list's answer proved the key: no request of its own");
    assertEquals(ready, later, "nothing to write");

    // Without other traffic since, the check asks again (its own answer never proves itself twice).
    checkAt(resync.multipliedBy(2), later);
    assertEquals(2, checkRequests());
  }

  @Test
  void aKeyRefusedOnOtherRequestsIsCheckedAgainAndReported() throws Exception {
    ControlPlaneStatus ready = checkAt(Duration.ZERO, new ControlPlaneStatus());
    otherTraffic();
    sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 2, new Fault.Status(401));
    assertThrows(RemoteException.class, this::otherTraffic);
    ControlPlaneStatus refused = checkAt(OperatorConfig.defaults().resync(), ready);
    assertEquals(2, checkRequests(), "a 401 since the last answer: the check asks itself");
    assertEquals("Unauthorized", condition(refused, Conditions.READY).getReason());
  }

  /** The periodic sweep: a ControlPlane gone without its cleanup (a finalizer removed by hand) leaves nothing. */
  @Test
  void theSweepForgetsWhatItKnewOfAControlPlaneGoneWithoutItsCleanup() {
    ControlPlaneStatus ready = checkAt(Duration.ZERO, new ControlPlaneStatus());
    String key = AccessCheck.checkKey(1L, secret);
    io.agentdeploy.operator.api.ControlPlane still = new io.agentdeploy.operator.api.ControlPlane();
    still.setMetadata(meta);
    check.retainOnly(java.util.List.of(still));
    assertTrue(check.stillFresh(UID, key, ready).isPresent(), "still there: its good check is remembered");
    assertEquals(1, meters.find("agentdeploy.controlplane.ready").gauges().size());

    check.retainOnly(java.util.List.of());
    assertTrue(check.stillFresh(UID, key, ready).isEmpty(), "gone: nothing remembered, a new one is checked");
    assertEquals(0, meters.find("agentdeploy.controlplane.ready").gauges().size(), "its readiness series is gone");
  }
}

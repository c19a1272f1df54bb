package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.DeletionPolicy;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The base-URL policy with the real operator: allowed URLs reach the simulator; every refused URL
 * points at a second simulator (the trap) that would record anything sent to it, and records
 * nothing. The operator runs with an allow-list (127.0.0.1, *.example.com and this machine's
 * non-loopback address) and one plain-http host (that address, on the relay's port only).
 */
class BaseUrlPolicyLifecycleTest {
  private static final String KEY_SECRET = "policy-key";

  private static Simulator sim;
  private static Simulator trap;
  /** The simulator on a non-loopback address, like an in-cluster sandbox; null if this machine has none. */
  private static LoopbackRelay sandbox;
  /** The trap on the same non-loopback address, on a port the plain-http entry does not name. */
  private static LoopbackRelay trapRelay;
  private static OperatorHarness env;
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

  @BeforeAll
  static void start() {
    sim = Simulator.start(SimulatedWorld.fastSimulator().withApiKey(SimulatedWorld.API_KEY));
    trap = Simulator.start(SimulatorConfig.defaults());
    Optional<InetAddress> address = LoopbackRelay.nonLoopbackAddress();
    sandbox = address.map(a -> LoopbackRelay.start(a, sim.port())).orElse(null);
    trapRelay = address.map(a -> LoopbackRelay.start(a, trap.port())).orElse(null);
    List<String> allowed = new ArrayList<>(List.of("127.0.0.1", "*.example.com"));
    List<String> plainHttp = new ArrayList<>();
    address.ifPresent(a -> {
      allowed.add(a.getHostAddress());
      plainHttp.add(a.getHostAddress() + ":" + sandbox.port());
    });
    LOG.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
    env = new OperatorHarness(OperatorHarness.FAST.withRemoteHosts(allowed, plainHttp));
    env.client.resource(Resources.apiKeySecret(KEY_SECRET, SimulatedWorld.API_KEY)).create();
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
    env.close();
    sim.close();
    trap.close();
    if (sandbox != null) {
      sandbox.close();
      trapRelay.close();
    }
  }

  private static Condition awaitControlPlane(String name, String reason) {
    ControlPlane cp = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> env.controlPlane(name), c -> c != null && c.getStatus() != null
            && Conditions.find(c.getStatus().getConditions(), Conditions.READY)
                .map(r -> reason.equals(r.getReason())).orElse(false));
    return Conditions.find(cp.getStatus().getConditions(), Conditions.READY).get();
  }

  private static void controlPlane(String name, String baseUrl) {
    env.client.resource(Resources.controlPlane(name, baseUrl, KEY_SECRET, SimulatedWorld.TENANT)).create();
  }

  private static void assertNothingSentToTheTrap() {
    assertEquals(List.of(), trap.requests().all().stream().map(Object::toString).toList());
    if (trapRelay != null) {
      assertEquals(0, trapRelay.connections(), "not even a connection to a refused URL");
    }
  }

  @Test
  void loopbackByItsLiteralSpellingIsReachedOverPlainHttp() {
    controlPlane("loopback", sim.baseUrl());
    assertEquals("True", awaitControlPlane("loopback", "Connected").getStatus());
    env.client.resource(Resources.dockerAgent("via-loopback", "loopback", "registry.example.com/a:1")).create();
    env.awaitReady("via-loopback");
    assertEquals(1, sim.langsmith().deployments().stream()
        .filter(d -> "via-loopback".equals(d.path("name").asText())).count());
  }

  @Test
  void aHostOnThePlainHttpListIsReachedOverPlainHttp() {
    Assumptions.assumeTrue(sandbox != null, "this machine has no non-loopback IPv4 address to serve a sandbox on");
    controlPlane("sandbox", sandbox.baseUrl());
    assertEquals("True", awaitControlPlane("sandbox", "Connected").getStatus());
    env.client.resource(Resources.dockerAgent("via-sandbox", "sandbox", "registry.example.com/a:1")).create();
    env.awaitReady("via-sandbox");
    assertEquals(1, sim.langsmith().deployments().stream()
        .filter(d -> "via-sandbox".equals(d.path("name").asText())).count());
    assertTrue(sandbox.connections() > 0, "the requests went through the non-loopback address");
  }

  @Test
  void plainHttpToAHostNotListedForItIsRefusedAndNothingIsSent() {
    // On the allow-list, and reachable, but neither loopback by spelling nor listed for plain http on this port.
    String url = trapRelay != null ? trapRelay.baseUrl() : "http://trap.example.com:" + trap.port();
    controlPlane("insecure", url);
    Condition ready = awaitControlPlane("insecure", "InsecureBaseUrl");
    assertEquals("False", ready.getStatus());
    assertTrue(ready.getMessage().contains("use https://"), ready.getMessage());
    assertTrue(ready.getMessage().contains("--plain-http-hosts"), ready.getMessage());

    env.client.resource(Resources.dockerAgent("via-insecure", "insecure", "registry.example.com/a:1")).create();
    var agd = env.awaitAgent("via-insecure", Duration.ofSeconds(20),
        OperatorHarness.reason(Conditions.SYNCED, "ControlPlaneNotReady"));
    assertTrue(OperatorHarness.condition(agd, Conditions.SYNCED).get().getMessage().contains("plain http"),
        OperatorHarness.condition(agd, Conditions.SYNCED).get().getMessage());
    assertNothingSentToTheTrap();
  }

  @Test
  void aHostNotOnTheAllowListIsRefusedAndNothingIsSent() {
    // Loopback (so plain http would do) and the trap's own port, but "localhost" is not on the allow-list.
    controlPlane("not-allowed", "http://localhost:" + trap.port());
    Condition ready = awaitControlPlane("not-allowed", "BaseUrlNotAllowed");
    assertTrue(ready.getMessage().contains("localhost:" + trap.port()), ready.getMessage());
    assertTrue(ready.getMessage().contains("--allowed-hosts"), ready.getMessage());

    env.client.resource(Resources.dockerAgent("via-not-allowed", "not-allowed", "registry.example.com/a:1")).create();
    var agd = env.awaitAgent("via-not-allowed", Duration.ofSeconds(20),
        OperatorHarness.reason(Conditions.SYNCED, "ControlPlaneNotReady"));
    assertTrue(OperatorHarness.condition(agd, Conditions.SYNCED).get().getMessage()
        .contains("not on the operator's allowed hosts"), OperatorHarness.condition(agd, Conditions.SYNCED).get()
        .getMessage());
    assertEquals("Pending", agd.getStatus().getPhase());
    assertNothingSentToTheTrap();
  }

  @Test
  void aBaseUrlThatCannotBeSentIsInvalidWithoutAStackTrace() {
    int logged = LOG.list.size();
    List<String> urls = List.of("https://my_host.internal", "http://127.0.0.1:" + trap.port() + "/%zz",
        "http://127.0.0.1:99999", "http://127.0.0.1:" + trap.port() + "/a|b");
    for (int i = 0; i < urls.size(); i++) {
      controlPlane("invalid-" + i, urls.get(i));
    }
    for (int i = 0; i < urls.size(); i++) {
      Condition ready = awaitControlPlane("invalid-" + i, "InvalidBaseUrl");
      assertTrue(ready.getMessage().contains("is not an absolute http(s) URL with a host"), ready.getMessage());
    }
    List<ILoggingEvent> traces = new ArrayList<>(LOG.list.subList(logged, LOG.list.size())).stream()
        .filter(e -> e.getThrowableProxy() != null).toList();
    assertEquals(List.of(), traces.stream().map(ILoggingEvent::getFormattedMessage).toList());
    assertNothingSentToTheTrap();
  }

  /**
   * A stricter list after an upgrade: the ControlPlane was Ready, its deployment exists, and from
   * the restart on nothing at all reaches its URL, the delete included; the resource says why.
   */
  @Test
  void aUrlRefusedAfterARestartGetsNothingNotEvenTheDelete() {
    Simulator own = Simulator.start(SimulatedWorld.fastSimulator().withApiKey(SimulatedWorld.API_KEY));
    OperatorConfig open = OperatorHarness.FAST;
    try (own; OperatorHarness local = new OperatorHarness(open)) {
      local.client.resource(Resources.apiKeySecret(KEY_SECRET, SimulatedWorld.API_KEY)).create();
      local.client.resource(Resources.controlPlane("cloud", own.baseUrl(), KEY_SECRET, SimulatedWorld.TENANT))
          .create();
      local.client.resource(Resources.dockerAgent("stale", "cloud", "registry.example.com/a:1")).create();
      local.awaitReady("stale");

      local.restartOperator(open.withRemoteHosts(List.of("*.example.com"), List.of()));
      own.requests().clear();
      local.client.resources(io.agentdeploy.operator.api.AgentDeployment.class).inNamespace(Resources.NS)
          .withName("stale").delete();
      var deleting = local.awaitAgent("stale", Duration.ofSeconds(20),
          OperatorHarness.reason(Conditions.SYNCED, "BaseUrlNotAllowed"));
      String message = OperatorHarness.condition(deleting, Conditions.SYNCED).get().getMessage();
      assertTrue(message.contains("cannot delete the remote deployment"), message);
      assertTrue(message.contains("deletionPolicy: Orphan"), message);
      await().atMost(Duration.ofSeconds(20)).until(() -> Conditions.find(local.controlPlane("cloud").getStatus()
          .getConditions(), Conditions.READY).map(c -> "BaseUrlNotAllowed".equals(c.getReason())).orElse(false));
      assertEquals(List.of(), own.requests().all().stream().map(Object::toString).toList());
      assertEquals(1, own.langsmith().deployments().size(), "the remote deployment is still there");
      assertFalse(own.requests().count(SimOperation.DELETE_DEPLOYMENT) > 0);

      // The documented way out: Orphan releases the resource without a call.
      local.client.resources(io.agentdeploy.operator.api.AgentDeployment.class).inNamespace(Resources.NS)
          .withName("stale").edit(a -> {
            a.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);
            return a;
          });
      local.awaitGone("stale");
      assertEquals(List.of(), own.requests().all().stream().map(Object::toString).toList());
    }
  }
}

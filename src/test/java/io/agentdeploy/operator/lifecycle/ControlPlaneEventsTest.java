package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.agentdeploy.operator.controller.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A ControlPlane's events: key rejected, key rotated, recovered, each once per transition. */
class ControlPlaneEventsTest {
  private static final String SECOND_KEY = "lsv2_sk_lifecycle_test_key_0002";
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  void aRejectedKeyWarnsOnceAndAFixedKeyIsRotatedAndRecovered() {
    createReady("rejecting-cp", "rejecting-key");
    Instant broken = Instant.now();
    setKey("rejecting-key", "lsv2_sk_not_the_right_one");
    awaitReason("rejecting-cp", "Unauthorized");
    // The check keeps retrying with backoff while the key is wrong: the warning is not repeated.
    await().atMost(Duration.ofSeconds(20)).until(() -> refusedChecksSince(broken) >= 3);
    assertEquals(1, count("rejecting-cp", "KeyRejected"));
    Event rejected = events("rejecting-cp", "KeyRejected").get(0);
    assertEquals("Warning", rejected.getType());
    assertEquals("ControlPlane", rejected.getInvolvedObject().getKind());
    assertFalse(rejected.getMessage().contains("lsv2_sk_not_the_right_one"), "the key never reaches an event");
    assertEquals(0, count("rejecting-cp", "Recovered"));

    setKey("rejecting-key", SimulatedWorld.API_KEY);
    awaitReason("rejecting-cp", "Connected");
    await().atMost(Duration.ofSeconds(10)).until(() -> count("rejecting-cp", "Recovered") == 1
        && count("rejecting-cp", "KeyRotated") == 1);
    assertEquals("Normal", events("rejecting-cp", "Recovered").get(0).getType());
    assertEquals("Ready again (was Unauthorized)", events("rejecting-cp", "Recovered").get(0).getMessage());
    assertEquals(1, count("rejecting-cp", "KeyRejected"));
  }

  @Test
  void aRotatedKeyThatWorksIsReportedWithoutAnOutage() {
    createReady("rotating-cp", "rotating-key");
    world.sim.acceptApiKeys(Set.of(SimulatedWorld.API_KEY, SECOND_KEY));
    setKey("rotating-key", SECOND_KEY);
    await().atMost(Duration.ofSeconds(20)).until(() -> count("rotating-cp", "KeyRotated") == 1);
    Event rotated = events("rotating-cp", "KeyRotated").get(0);
    assertEquals("Normal", rotated.getType());
    assertEquals("the changed key in Secret rotating-key was checked and works", rotated.getMessage());
    assertEquals(0, count("rotating-cp", "Recovered"), "it never stopped being Ready");
    assertEquals(0, count("rotating-cp", "KeyRejected"));
  }

  @Test
  void theFirstCheckOfAHealthyControlPlaneEmitsNothing() {
    createReady("quiet-cp", "quiet-key");
    await().atMost(Duration.ofSeconds(10)).until(() -> Conditions.isTrue(world.env.controlPlane("quiet-cp")
        .getStatus().getConditions(), Conditions.READY));
    assertEquals(List.of(), world.env.events("quiet-cp"));
  }

  private static void createReady(String name, String secret) {
    world.env.client.resource(Resources.apiKeySecret(secret, SimulatedWorld.API_KEY)).create();
    world.env.client.resource(Resources.controlPlane(name, world.sim.baseUrl(), secret, SimulatedWorld.TENANT))
        .create();
    awaitReason(name, "Connected");
  }

  private static void setKey(String secret, String key) {
    world.env.client.secrets().inNamespace(Resources.NS).withName(secret).edit(s -> {
      s.setData(null);
      s.setStringData(Map.of("apiKey", key));
      return s;
    });
  }

  private static void awaitReason(String name, String reason) {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      var cp = world.env.controlPlane(name);
      return cp != null && cp.getStatus() != null && reason.equals(Conditions.reason(cp.getStatus().getConditions(),
          Conditions.READY));
    });
  }

  private static long refusedChecksSince(Instant since) {
    // LangSmith answers 403 to a wrong key, Agentex 401.
    return world.sim.requests().matching(r -> !r.time().isBefore(since) && (r.status() == 401 || r.status() == 403))
        .size();
  }

  private static List<Event> events(String name, String reason) {
    return world.env.events(name).stream().filter(e -> reason.equals(e.getReason())).toList();
  }

  private static long count(String name, String reason) {
    return events(name, reason).size();
  }
}

package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.controller.Annotations;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refusals classified per operation, never by the answer's text, and a rejected spec that is
 * held back while the remote is still observed: a PATCH 400 during a rollout waits and goes
 * through whatever the 400 says, a 409 is retried, a refused create re-runs the lookup, and a
 * rejection fixed on the remote is retried by a new reconcile-requested-at value. The simulator
 * refuses revision-creating PATCHes during a rollout (REJECT mode) with slow enough steps to meet one.
 */
class RejectionTest {
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatorConfig.defaults()
        .withTimings(Duration.ofMillis(400), Duration.ofMillis(100), Duration.ofMillis(500))
        .withPatchDuringRollout(SimulatorConfig.PatchDuringRollout.REJECT), OperatorHarness.FAST);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @AfterEach
  void reset() {
    world.sim.faults().clear();
    world.sim.langsmith().refuseRevisionChanges(null);
    world.sim.langsmith().rolloutBusyDetail(null);
    world.sim.agentex().refuseDeploys(null);
    world.assertContract();
  }

  private static AgentDeployment agent(String name, String image) {
    return Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, image);
  }

  private static void image(String name, String image) {
    world.edit(name, a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri(image);
      return a;
    });
  }

  private static void annotate(String name, String key, String value) {
    world.edit(name, a -> {
      Map<String, String> annotations = a.getMetadata().getAnnotations() == null ? new HashMap<>()
          : new HashMap<>(a.getMetadata().getAnnotations());
      annotations.put(key, value);
      a.getMetadata().setAnnotations(annotations);
      return a;
    });
  }

  private static void holdsFor(Duration period, Callable<Boolean> invariant) {
    await().during(period).atMost(period.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(invariant);
  }

  private static boolean readyAtGeneration(AgentDeployment a, long generation) {
    return a.getMetadata().getGeneration() == generation && OperatorHarness.readyNow(a)
        && "Applied".equals(condition(a, Conditions.SYNCED).map(c -> c.getReason()).orElse(null));
  }

  private static String remoteImage(String name) {
    return world.remote(name).get(0).at("/source_revision_config/image_uri").asText();
  }

  @Test
  void rejectedPatchIsNotSentAgainButTheRemoteIsStillObserved() {
    world.apply(agent("rej-observe", "registry.example.com/agent:1"));
    String id = world.env.awaitReady("rej-observe").getStatus().getDeploymentId();
    world.sim.langsmith().refuseRevisionChanges("Image registry.example.com/agent:2 is not allowed in this workspace.");
    image("rej-observe", "registry.example.com/agent:2");
    AgentDeployment rejected = world.env.awaitAgent("rej-observe", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "RemoteRejected"));
    assertTrue(condition(rejected, Conditions.SYNCED).get().getMessage().contains(Annotations.RECONCILE_REQUESTED_AT),
        "the message says how to retry: " + condition(rejected, Conditions.SYNCED).get().getMessage());

    // The remote changes after the rejection: its URL, then a revision made outside the operator.
    world.sim.langsmith().editOutOfBand(id, sc -> sc.put("custom_url", "https://moved.agents.example.com"),
        rc -> { }, false);
    world.env.awaitAgent("rej-observe", Duration.ofSeconds(20),
        a -> "https://moved.agents.example.com".equals(a.getStatus().getUrl()));
    world.sim.langsmith().editOutOfBand(id, sc -> { }, rc -> rc.put("image_uri", "registry.example.com/agent:1-hotfix"),
        true);
    String hotfix = world.sim.langsmith().revisions(id).get(0).path("id").asText();
    AgentDeployment followed = world.env.awaitAgent("rej-observe", Duration.ofSeconds(20),
        a -> hotfix.equals(a.getStatus().getLatestRevisionId()) && "DEPLOYED".equals(a.getStatus().getRevisionStatus())
            && hotfix.equals(a.getStatus().getActiveRevisionId()));
    // Ready is what the remote says (the hotfix serves); Synced still says the spec is not applied.
    assertEquals("True", condition(followed, Conditions.READY).get().getStatus());
    assertEquals("RemoteRejected", condition(followed, Conditions.SYNCED).get().getReason());
    holdsFor(Duration.ofSeconds(4), () -> reason(Conditions.SYNCED, "RemoteRejected").test(world.env.get("rej-observe")));
    assertEquals(1, world.count("rej-observe", id, SimOperation.PATCH_DEPLOYMENT), "a rejected spec is sent once");
    assertEquals(1, world.env.eventCount("rej-observe", "RemoteRejected"));
    assertEquals("registry.example.com/agent:1-hotfix", remoteImage("rej-observe"));
  }

  @Test
  void reconcileRequestedAtRetriesARejectionFixedOnTheRemote() {
    world.apply(agent("rej-retry", "registry.example.com/agent:1"));
    String id = world.env.awaitReady("rej-retry").getStatus().getDeploymentId();
    world.sim.langsmith().refuseRevisionChanges("The plan of this workspace allows no new revisions today.");
    image("rej-retry", "registry.example.com/agent:2");
    world.env.awaitAgent("rej-retry", Duration.ofSeconds(20), reason(Conditions.SYNCED, "RemoteRejected"));

    // Fixed on the remote: still not sent by itself (the spec did not change).
    world.sim.langsmith().refuseRevisionChanges(null);
    holdsFor(Duration.ofSeconds(4), () -> reason(Conditions.SYNCED, "RemoteRejected").test(world.env.get("rej-retry")));
    assertEquals(1, world.count("rej-retry", id, SimOperation.PATCH_DEPLOYMENT));

    annotate("rej-retry", Annotations.RECONCILE_REQUESTED_AT, "2026-11-30T10:00:00Z");
    AgentDeployment applied = world.env.awaitAgent("rej-retry", Duration.ofSeconds(30), a -> readyAtGeneration(a, 2));
    assertEquals(2, world.count("rej-retry", id, SimOperation.PATCH_DEPLOYMENT), "sent exactly once more");
    assertEquals("registry.example.com/agent:2", remoteImage("rej-retry"));
    assertNull(applied.getStatus().getRejectedStateHash());
  }

  @Test
  void patchDuringARolloutWaitsAndGoesThroughWhateverTheAnswerSays() {
    // No "in progress" in the text: only the revision's own status can tell.
    world.sim.langsmith().rolloutBusyDetail("Bitte später erneut versuchen.");
    Set<String> syncedReasons = ConcurrentHashMap.newKeySet();
    world.apply(agent("rej-busy", "registry.example.com/agent:1"));
    world.env.awaitAgent("rej-busy", Duration.ofSeconds(10), a -> a.getStatus() != null
        && a.getStatus().getDeploymentId() != null);
    image("rej-busy", "registry.example.com/agent:2");
    world.env.awaitAgent("rej-busy", Duration.ofSeconds(30), a -> {
      condition(a, Conditions.SYNCED).ifPresent(c -> syncedReasons.add(c.getReason()));
      return readyAtGeneration(a, 2);
    });
    String id = world.remote("rej-busy").get(0).path("id").asText();
    List<RecordedRequest> patches = world.traffic("rej-busy", id).stream()
        .filter(r -> r.operation() == SimOperation.PATCH_DEPLOYMENT).toList();
    assertEquals(400, patches.get(0).status(), "the first PATCH met the rollout: " + patches);
    assertTrue(patches.get(0).responseBody().contains("Bitte"), patches.get(0).responseBody());
    assertEquals(200, patches.get(patches.size() - 1).status());
    assertTrue(syncedReasons.contains("RolloutInProgress"), "seen reasons " + syncedReasons);
    assertFalse(syncedReasons.contains("RemoteRejected"), "seen reasons " + syncedReasons);
    assertEquals(0, world.env.eventCount("rej-busy", "RemoteRejected"));
    assertEquals("registry.example.com/agent:2", remoteImage("rej-busy"));
  }

  @Test
  void conflictOnPatchIsRetried() {
    world.apply(agent("rej-409", "registry.example.com/agent:1"));
    String id = world.env.awaitReady("rej-409").getStatus().getDeploymentId();
    world.sim.faults().next(SimOperation.PATCH_DEPLOYMENT, 1, new Fault.Status(409));
    image("rej-409", "registry.example.com/agent:2");
    world.env.awaitAgent("rej-409", Duration.ofSeconds(30), a -> readyAtGeneration(a, 2));
    List<RecordedRequest> patches = world.traffic("rej-409", id).stream()
        .filter(r -> r.operation() == SimOperation.PATCH_DEPLOYMENT).toList();
    assertEquals(List.of(409, 200), patches.stream().map(RecordedRequest::status).toList());
    assertEquals(0, world.env.eventCount("rej-409", "RemoteRejected"));
    assertEquals("registry.example.com/agent:2", remoteImage("rej-409"));
  }

  @Test
  void createAnswered409RunsTheLookupAndMakesNoDuplicate() {
    // Our own create committed, answered 409: the lookup finds it.
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.SaveThenFail(409));
    world.apply(agent("rej-c409-saved", "registry.example.com/agent:1"));
    world.env.awaitReady("rej-c409-saved");
    assertEquals(1, world.count("rej-c409-saved", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals(1, world.remote("rej-c409-saved").size());
    assertEquals(1, world.env.eventCount("rej-c409-saved", "Recovered"));

    // A 409 that made nothing: not a rejection; the next pass looks up again and creates once.
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Status(409));
    world.apply(agent("rej-c409", "registry.example.com/agent:1"));
    world.env.awaitReady("rej-c409");
    assertEquals(2, world.count("rej-c409", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals(1, world.remote("rej-c409").size());
    assertEquals(0, world.env.eventCount("rej-c409", "RemoteRejected"));
  }

  @Test
  void deleteAnswered409IsReadAgainNotAFailure() {
    world.apply(agent("rej-del409", "registry.example.com/agent:1"));
    String id = world.env.awaitReady("rej-del409").getStatus().getDeploymentId();
    world.sim.faults().next(SimOperation.DELETE_DEPLOYMENT, 1, new Fault.Status(409));
    world.delete("rej-del409");
    world.env.awaitGone("rej-del409");
    assertEquals(List.of(409, 204), world.traffic("rej-del409", id).stream()
        .filter(r -> r.operation() == SimOperation.DELETE_DEPLOYMENT).map(RecordedRequest::status).toList());
    assertEquals(0, world.env.eventCount("rej-del409", "DeleteFailed"), "a 4xx to a DELETE re-observes");
  }

  @Test
  void agentexDeploy409RunsTheLookupAndMakesNoDuplicate() {
    world.sim.faults().next(SimOperation.AGENTEX_CREATE, 1, new Fault.SaveThenFail(409));
    world.apply(Resources.agentexAgent("rej-ax409", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
    world.env.awaitReady("rej-ax409");
    assertEquals(1, world.agentexCount("rej-ax409", SimOperation.AGENTEX_CREATE));
    assertEquals(1, world.deploys("rej-ax409").size());
    assertEquals(1, world.env.eventCount("rej-ax409", "Recovered"));
  }

  @Test
  void agentexRejectedDeployIsHeldBackWhileTheRemoteIsObservedAndRetriedOnRequest() {
    world.apply(Resources.agentexAgent("rej-ax", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
    String first = world.env.awaitReady("rej-ax").getStatus().getDeploymentId();
    world.sim.agentex().refuseDeploys("Image tags must be signed in this account.");
    world.edit("rej-ax", a -> {
      a.getSpec().getAgentex().getImage().setTag("2");
      return a;
    });
    AgentDeployment rejected = world.env.awaitAgent("rej-ax", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "RemoteRejected"));
    assertEquals("True", condition(rejected, Conditions.READY).get().getStatus(), "deploy " + first + " still serves");

    // The serving deploy is deleted outside the operator: status follows, and nothing is sent.
    world.sim.agentex().deleteOutOfBand(first);
    world.env.awaitAgent("rej-ax", Duration.ofSeconds(20),
        a -> "False".equals(condition(a, Conditions.READY).get().getStatus()) && a.getStatus().getDeploymentId() == null);
    world.sim.agentex().refuseDeploys(null);
    holdsFor(Duration.ofSeconds(4), () -> reason(Conditions.SYNCED, "RemoteRejected").test(world.env.get("rej-ax")));
    assertEquals(2, world.agentexCount("rej-ax", SimOperation.AGENTEX_CREATE), "the refused deploy was sent once");

    annotate("rej-ax", Annotations.RECONCILE_REQUESTED_AT, "retry-1");
    AgentDeployment applied = world.env.awaitAgent("rej-ax", Duration.ofSeconds(30), a -> readyAtGeneration(a, 2));
    assertEquals(3, world.agentexCount("rej-ax", SimOperation.AGENTEX_CREATE));
    List<RecordedRequest> posts = world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_CREATE
        && r.requestBody().contains("name: rej-ax\\n"));
    assertEquals(List.of(200, 400, 200), posts.stream().map(RecordedRequest::status).toList());
    assertTrue(posts.get(2).requestBody().contains("\"image_tag\":\"2\""), posts.get(2).requestBody());
    assertTrue(posts.get(2).responseBody().contains(applied.getStatus().getDeploymentId()));
  }
}

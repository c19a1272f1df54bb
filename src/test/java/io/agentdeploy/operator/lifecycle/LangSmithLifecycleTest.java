package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.DeletionPolicy;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.FailureRule;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whole stories of one AgentDeployment on LangSmith: the real operator on the embedded Kubernetes
 * API, talking HTTP to the simulator. Assertions on remote traffic come from the simulator's log.
 */
class LangSmithLifecycleTest {
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatedWorld.fastSimulator()
        .withFailureRules(List.of(FailureRule.image(":broken$", "DEPLOY_FAILED"))), OperatorHarness.FAST);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @AfterEach
  void everyExchangeFollowsTheSpec() {
    world.sim.faults().clear();
    world.assertContract();
  }

  private static AgentDeployment agent(String name, String image) {
    return Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, image);
  }

  @Test
  void createGoesToReadyWithOneRemoteDeployment() {
    world.apply(agent("create-ready", "registry.example.com/agent:1"));
    AgentDeployment ready = world.env.awaitReady("create-ready");
    String id = ready.getStatus().getDeploymentId();
    assertNotNull(id);
    assertEquals("Ready", ready.getStatus().getPhase());
    assertEquals("DEPLOYED", ready.getStatus().getRevisionStatus());
    assertEquals(ready.getStatus().getLatestRevisionId(), ready.getStatus().getActiveRevisionId());
    assertEquals(ready.getMetadata().getGeneration(), ready.getStatus().getObservedGeneration());
    assertEquals("True", condition(ready, Conditions.SYNCED).get().getStatus());
    assertEquals(1, world.remote("create-ready").size());
    assertEquals(1, world.count("create-ready", id, SimOperation.CREATE_DEPLOYMENT));
    assertNull(ready.getStatus().getWriteAhead(), "the status write that recorded the create retired its record");
    assertEquals(world.sim.baseUrl() + "#" + SimulatedWorld.TENANT, ready.getStatus().getAccount());
    assertEquals(List.of(ready.getStatus().getLatestRevisionId()),
        ready.getStatus().getHistory().stream().map(h -> h.getId()).toList());
    await().atMost(Duration.ofSeconds(5)).until(() -> world.env.eventCount("create-ready", "Created") == 1
        && world.env.eventCount("create-ready", "RevisionDeployed") == 1);
  }

  @Test
  void specEditIsOnePatchAndOneNewRevision() {
    world.apply(agent("spec-edit", "registry.example.com/agent:1"));
    AgentDeployment first = world.env.awaitReady("spec-edit");
    String id = first.getStatus().getDeploymentId();
    world.edit("spec-edit", a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
      return a;
    });
    AgentDeployment second = world.env.awaitAgent("spec-edit", Duration.ofSeconds(30), a ->
        a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
    assertNotEquals(first.getStatus().getLatestRevisionId(), second.getStatus().getLatestRevisionId());
    assertEquals(id, second.getStatus().getDeploymentId());
    assertEquals(1, world.count("spec-edit", id, SimOperation.PATCH_DEPLOYMENT));
    assertEquals(2, world.sim.langsmith().revisions(id).size());
    assertEquals("registry.example.com/agent:2",
        world.remote("spec-edit").get(0).at("/source_revision_config/image_uri").asText());
  }

  @Test
  void driftMadeInTheUiIsCorrectedWithOnePatch() {
    world.apply(agent("ui-drift", "registry.example.com/agent:1"));
    String id = world.env.awaitReady("ui-drift").getStatus().getDeploymentId();
    world.sim.langsmith().editOutOfBand(id, sc -> { }, rc -> rc.put("image_uri", "registry.example.com/agent:hotfix"),
        true);
    await().atMost(Duration.ofSeconds(20)).until(() -> world.env.eventCount("ui-drift", "DriftCorrected") == 1);
    world.env.awaitReady("ui-drift");
    assertEquals("registry.example.com/agent:1",
        world.remote("ui-drift").get(0).at("/source_revision_config/image_uri").asText());
    assertEquals(1, world.count("ui-drift", id, SimOperation.PATCH_DEPLOYMENT));
    assertEquals(3, world.sim.langsmith().revisions(id).size(), "create, UI edit, correction");
  }

  @Test
  void failedBuildIsReportedWithoutRetryStorm() throws Exception {
    world.apply(agent("broken-build", "registry.example.com/agent:broken"));
    AgentDeployment failed = world.env.awaitAgent("broken-build", Duration.ofSeconds(30),
        reason(Conditions.READY, "RevisionFailed"));
    assertTrue(condition(failed, Conditions.READY).get().getMessage().contains("DEPLOY_FAILED"));
    assertEquals("Failed", failed.getStatus().getPhase());
    String id = failed.getStatus().getDeploymentId();
    // Watch the remote traffic for longer than one resync period (3 s in these tests).
    Instant from = Instant.now();
    Thread.sleep(4_000);
    List<RecordedRequest> after = world.traffic("broken-build", id).stream()
        .filter(r -> r.time().isAfter(from)).toList();
    assertTrue(after.stream().noneMatch(r -> r.operation().isWrite()), "no POST/PATCH after a failure: " + after);
    long reads = after.stream().filter(r -> r.operation() == SimOperation.GET_DEPLOYMENT).count();
    assertTrue(reads <= 2, "at most one read per resync period, saw " + reads + ": " + after);
    assertEquals(1, world.env.eventCount("broken-build", "RevisionFailed"));
  }

  @Test
  void createAnsweredWithDroppedConnectionOrServerErrorLeavesOneDeployment() {
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.SaveThenFail(0));
    world.apply(agent("lost-answer-drop", "registry.example.com/agent:1"));
    world.env.awaitReady("lost-answer-drop");
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.SaveThenFail(502));
    world.apply(agent("lost-answer-5xx", "registry.example.com/agent:1"));
    world.env.awaitReady("lost-answer-5xx");
    for (String name : List.of("lost-answer-drop", "lost-answer-5xx")) {
      assertEquals(1, world.remote(name).size(), name);
      assertEquals(1, world.count(name, null, SimOperation.CREATE_DEPLOYMENT), name + ": the POST is never repeated");
      assertEquals(1, world.env.eventCount(name, "Recovered"), name);
    }
  }

  @Test
  void transportNeverRetriesAPostAndTheReconcilerLooksUpFirst() {
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Status(503));
    world.apply(agent("post-once", "registry.example.com/agent:1"));
    world.env.awaitReady("post-once");
    List<RecordedRequest> traffic = world.traffic("post-once", null);
    List<SimOperation> ops = traffic.stream().map(RecordedRequest::operation)
        .filter(o -> o == SimOperation.CREATE_DEPLOYMENT || o == SimOperation.LIST_DEPLOYMENTS).toList();
    assertEquals(2, ops.stream().filter(o -> o == SimOperation.CREATE_DEPLOYMENT).count(), ops.toString());
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i) == SimOperation.CREATE_DEPLOYMENT) {
        assertEquals(SimOperation.LIST_DEPLOYMENTS, ops.get(i - 1), "every POST follows a lookup: " + ops);
      }
    }
    assertEquals(1, world.remote("post-once").size());
  }

  @Test
  void remoteDeletedOutOfBandIsCreatedAgainAfterItIsGone() {
    world.apply(agent("oob-delete", "registry.example.com/agent:1"));
    String first = world.env.awaitReady("oob-delete").getStatus().getDeploymentId();
    world.sim.langsmith().deleteOutOfBand(first);
    AgentDeployment again = world.env.awaitAgent("oob-delete", Duration.ofSeconds(30), a ->
        a.getStatus().getDeploymentId() != null && !first.equals(a.getStatus().getDeploymentId())
            && condition(a, Conditions.READY).map(c -> "True".equals(c.getStatus())).orElse(false));
    assertEquals(1, world.remote("oob-delete").size());
    assertEquals(1, world.env.eventCount("oob-delete", "RemoteDeleted"));
    // The new create came only once the old deployment read 404.
    List<RecordedRequest> traffic = world.sim.requests().all();
    Instant gone = traffic.stream().filter(r -> r.path().endsWith(first) && r.status() == 404)
        .map(RecordedRequest::time).findFirst().orElseThrow();
    Instant recreated = world.traffic("oob-delete", null).stream()
        .filter(r -> r.operation() == SimOperation.CREATE_DEPLOYMENT).map(RecordedRequest::time)
        .reduce((a, b) -> b).orElseThrow();
    assertTrue(!recreated.isBefore(gone), "recreated at " + recreated + " before the old one read 404 at " + gone);
    assertNotEquals(first, again.getStatus().getDeploymentId());
  }

  @Test
  void deleteWithDeletePolicyRemovesTheRemoteBeforeTheFinalizer() {
    world.apply(agent("delete-me", "registry.example.com/agent:1"));
    String id = world.env.awaitReady("delete-me").getStatus().getDeploymentId();
    world.delete("delete-me");
    world.env.awaitGone("delete-me");
    assertEquals(List.of(), world.remote("delete-me"));
    List<RecordedRequest> traffic = world.traffic("delete-me", id);
    assertEquals(1, traffic.stream().filter(r -> r.operation() == SimOperation.DELETE_DEPLOYMENT).count());
    assertTrue(traffic.stream().anyMatch(r -> r.operation() == SimOperation.GET_DEPLOYMENT && r.status() == 404),
        "the finalizer is released only after a 404");
    assertTrue(traffic.stream().noneMatch(r -> r.query() != null && r.query().contains("force=true")));
  }

  @Test
  void deleteWithOrphanPolicyLeavesTheRemoteUntouched() {
    AgentDeployment agd = agent("orphan-me", "registry.example.com/agent:1");
    agd.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);
    world.apply(agd);
    String id = world.env.awaitReady("orphan-me").getStatus().getDeploymentId();
    world.delete("orphan-me");
    world.env.awaitGone("orphan-me");
    assertEquals(1, world.remote("orphan-me").size());
    assertEquals("READY", world.remote("orphan-me").get(0).path("status").asText());
    assertEquals(0, world.count("orphan-me", id, SimOperation.DELETE_DEPLOYMENT));
  }

  @Test
  void missingSecretIsReportedAndNothingIsSent() {
    AgentDeployment agd = agent("needs-secret", "registry.example.com/agent:1");
    agd.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("API_TOKEN", "needs-secret-env", "token"));
    world.apply(agd);
    AgentDeployment waiting = world.env.awaitAgent("needs-secret", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "SecretNotFound"));
    assertTrue(condition(waiting, Conditions.SYNCED).get().getMessage().contains("needs-secret-env"));
    assertEquals(List.of(), world.traffic("needs-secret", null));
    world.env.client.resource(Resources.secret("needs-secret-env", Map.of("token", "tok-123456"))).create();
    world.env.awaitReady("needs-secret");
  }

  @Test
  void secretValueChangeRollsOutExactlyOneNewRevision() {
    world.env.client.resource(Resources.secret("rotating-env", Map.of("token", "first-token-value"))).create();
    AgentDeployment agd = agent("rotating", "registry.example.com/agent:1");
    agd.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("API_TOKEN", "rotating-env", "token"));
    world.apply(agd);
    AgentDeployment ready = world.env.awaitReady("rotating");
    String id = ready.getStatus().getDeploymentId();
    String hash = ready.getStatus().getDesiredStateHash();
    world.env.client.secrets().inNamespace(Resources.NS).withName("rotating-env").edit(s -> {
      s.setData(null);
      s.setStringData(Map.of("token", "second-token-value"));
      return s;
    });
    AgentDeployment rotated = world.env.awaitAgent("rotating", Duration.ofSeconds(30), a ->
        !hash.equals(a.getStatus().getDesiredStateHash())
            && condition(a, Conditions.READY).map(c -> "True".equals(c.getStatus())).orElse(false));
    assertEquals(1, world.count("rotating", id, SimOperation.PATCH_DEPLOYMENT));
    assertEquals(2, world.sim.langsmith().revisions(id).size());
    JsonNode remote = world.remote("rotating").get(0);
    assertTrue(remote.path("secrets").toString().contains("second-token-value"));
    String everything = world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS)
        .withName("rotating").get().toString() + world.env.events("rotating");
    assertFalse(everything.contains("second-token-value") || everything.contains("first-token-value"),
        "secret values never reach status or events");
    assertNotNull(rotated.getStatus().getDesiredStateHash());
  }

  @Test
  void rejectedSpecIsTerminalWithoutHotLoop() throws Exception {
    // A 422 for a spec the schema let through (e.g. a rule of a newer control plane).
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Status(422));
    world.apply(agent("rejected", "registry.example.com/agent:1"));
    AgentDeployment rejected = world.env.awaitAgent("rejected", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "RemoteRejected"));
    assertTrue(condition(rejected, Conditions.SYNCED).get().getMessage().contains("422"));
    assertEquals("False", condition(rejected, Conditions.READY).get().getStatus());
    assertEquals("Error", rejected.getStatus().getPhase());
    Thread.sleep(4_000);
    assertEquals(1, world.count("rejected", null, SimOperation.CREATE_DEPLOYMENT), "no retry of a rejected create");
    assertEquals(1, world.env.eventCount("rejected", "RemoteRejected"));
    world.edit("rejected", a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
      return a;
    });
    world.env.awaitReady("rejected");
    assertEquals(2, world.count("rejected", null, SimOperation.CREATE_DEPLOYMENT));
  }

  @Test
  void retryAfterOfA429IsHonoured() {
    world.apply(agent("rate-limited", "registry.example.com/agent:1"));
    String id = world.env.awaitReady("rate-limited").getStatus().getDeploymentId();
    world.sim.faults().next(SimOperation.PATCH_DEPLOYMENT, 1, new Fault.RateLimited(2));
    world.edit("rate-limited", a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
      return a;
    });
    world.env.awaitAgent("rate-limited", Duration.ofSeconds(30), a -> a.getMetadata().getGeneration() == 2
        && OperatorHarness.readyNow(a));
    List<RecordedRequest> traffic = world.sim.requests().all();
    RecordedRequest limited = traffic.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    RecordedRequest next = traffic.stream().filter(r -> r.time().isAfter(limited.time())
        && r.path().contains(id)).findFirst().orElseThrow();
    Duration gap = Duration.between(limited.time(), next.time());
    assertTrue(gap.compareTo(Duration.ofSeconds(2)) >= 0, "next call " + gap.toMillis() + " ms after the 429");
  }

  @Test
  void serverErrorsAreRetriedWithGrowingBackoff() {
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 4, new Fault.Status(500));
    world.apply(agent("flaky-create", "registry.example.com/agent:1"));
    world.env.awaitReady("flaky-create");
    List<Instant> posts = world.traffic("flaky-create", null).stream()
        .filter(r -> r.operation() == SimOperation.CREATE_DEPLOYMENT).map(RecordedRequest::time).toList();
    assertEquals(5, posts.size());
    Duration firstGap = Duration.between(posts.get(0), posts.get(1));
    Duration lastGap = Duration.between(posts.get(3), posts.get(4));
    assertTrue(lastGap.compareTo(firstGap) > 0, "backoff grows: first " + firstGap.toMillis() + " ms, last "
        + lastGap.toMillis() + " ms");
    assertEquals(1, world.remote("flaky-create").size());
  }

  @Test
  void nameTakenByAnotherDeploymentIsATerminalConflict() throws Exception {
    world.sim.langsmith().createOutOfBand(SimulatedWorld.TENANT, "taken-name", "registry.example.com/other:1",
        Instant.now().minusSeconds(3600));
    world.apply(agent("taken-name", "registry.example.com/agent:1"));
    AgentDeployment conflict = world.env.awaitAgent("taken-name", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "NameConflict"));
    assertTrue(condition(conflict, Conditions.SYNCED).get().getMessage().contains("did not create"));
    Thread.sleep(1_000);
    assertEquals(0, world.count("taken-name", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals("registry.example.com/other:1",
        world.remote("taken-name").get(0).at("/source_revision_config/image_uri").asText());
  }

  @Test
  void wrongApiKeyMakesTheControlPlaneUnauthorizedAndGatesItsDeployments() {
    world.env.client.resource(Resources.apiKeySecret("wrong-key", "lsv2_sk_not_the_right_one")).create();
    world.env.client.resource(Resources.controlPlane("wrong-key-cp", world.sim.baseUrl(), "wrong-key",
        SimulatedWorld.TENANT)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      var cp = world.env.controlPlane("wrong-key-cp");
      return cp.getStatus() != null && Conditions.find(cp.getStatus().getConditions(), Conditions.READY)
          .map(c -> "Unauthorized".equals(c.getReason())).orElse(false);
    });
    var cp = world.env.controlPlane("wrong-key-cp");
    assertFalse(cp.toString().contains("lsv2_sk_not_the_right_one"), "the key never reaches status");
    world.apply(Resources.dockerAgent("behind-wrong-key", "wrong-key-cp", "registry.example.com/agent:1"));
    world.env.awaitAgent("behind-wrong-key", Duration.ofSeconds(20), reason(Conditions.SYNCED, "ControlPlaneNotReady"));
    assertEquals(List.of(), world.traffic("behind-wrong-key", null));
    assertEquals("True", Conditions.find(world.env.controlPlane(SimulatedWorld.CONTROL_PLANE).getStatus()
        .getConditions(), Conditions.READY).get().getStatus());
  }

  @Test
  void oneRateLimiterPerAccountIsSharedByAllItsDeployments() {
    String tenant = "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928";
    world.env.client.resource(Resources.apiKeySecret("limited-key", SimulatedWorld.API_KEY)).create();
    var limited = Resources.controlPlane("limited", world.sim.baseUrl(), "limited-key", tenant);
    var rate = new io.agentdeploy.operator.api.RateLimit();
    rate.setRequestsPerSecond(4.0);
    rate.setBurst(1);
    limited.getSpec().setRateLimit(rate);
    world.env.client.resource(limited).create();
    for (String name : List.of("limited-a", "limited-b", "limited-c")) {
      world.apply(Resources.dockerAgent(name, "limited", "registry.example.com/agent:1"));
    }
    for (String name : List.of("limited-a", "limited-b", "limited-c")) {
      world.env.awaitReady(name);
    }
    List<Instant> times = world.sim.requests().matching(r -> tenant.equals(r.headers().get("x-tenant-id")))
        .stream().map(RecordedRequest::time).sorted().toList();
    assertTrue(times.size() >= 9, "three deployments made " + times.size() + " calls");
    // 4 requests per second with a burst of 1, whichever resource sends them: no second of the
    // account's traffic holds more than 5 calls (one extra allowed for arrival jitter), plus 2: a pass
    // given back for a token reserves each of its calls (a create makes up to 3), granted at the rate
    // but sent together when the pass returns (no thread waits between them).
    int busiest = 0;
    for (Instant start : times) {
      int inWindow = (int) times.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusSeconds(1))).count();
      busiest = Math.max(busiest, inWindow);
    }
    assertTrue(busiest <= 7, "the busiest second of the account had " + busiest + " calls");
    Duration span = Duration.between(times.get(0), times.get(times.size() - 1));
    assertTrue(span.toMillis() >= (times.size() - 2) * 250L * 8 / 10,
        times.size() + " calls spread over " + span.toMillis() + " ms");
  }

  @Test
  void aDeploymentHeldByAnotherResourceIsNeverAdopted() {
    world.apply(agent("shared-name", "registry.example.com/agent:1"));
    String id = world.env.awaitReady("shared-name").getStatus().getDeploymentId();
    // A second resource for the same remote name whose create intent predates the deployment:
    // only the holder check stands between it and adopting the first resource's deployment.
    AgentDeployment second = agent("shared-name-copy", "registry.example.com/agent:1");
    second.getSpec().getLangsmith().setName("shared-name");
    second.getMetadata().setAnnotations(Map.of("agentdeploy.io/create-intent",
        Instant.now().minusSeconds(600).toString()));
    world.apply(second);
    AgentDeployment conflict = world.env.awaitAgent("shared-name-copy", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "NameConflict"));
    assertTrue(condition(conflict, Conditions.SYNCED).get().getMessage().contains("agents/shared-name"),
        condition(conflict, Conditions.SYNCED).get().getMessage());
    assertEquals(null, conflict.getStatus().getDeploymentId());
    assertEquals(id, world.env.get("shared-name").getStatus().getDeploymentId());
    assertEquals(1, world.remote("shared-name").size());
  }
}

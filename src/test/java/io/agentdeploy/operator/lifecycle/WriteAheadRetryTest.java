package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.WriteAheadRecord;
import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write-ahead record across retries and concurrent writers (issue 8): a retry of the same
 * write keeps the first attempt's time and nonce, so a late commit of an earlier attempt is
 * recovered, never duplicated; and while a write may still be in flight (younger than the request
 * timeout, no answer) a pass looks up and sends nothing, whichever operator instance runs it.
 * The operator and the simulator share a clock the tests move ahead to spread attempts apart.
 */
class WriteAheadRetryTest {
  private static final Pattern NONCE = Pattern.compile("agentdeploy\\.io/intent: ([0-9a-f]+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MovableClock clock = new MovableClock();
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatedWorld.fastSimulator().withClock(clock), OperatorHarness.FAST,
        EmbeddedKubernetes::newClient, clock);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @AfterEach
  void releaseEverything() {
    world.sim.faults().clear();
    world.releaseAll();
    world.assertContract();
  }

  private static AgentDeployment agent(String name) {
    return Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1");
  }

  private static WriteAheadRecord record(String name) {
    return ResourceVersions.record(world.env.client, world.env.get(name));
  }

  /** The record once the attempt that made {@code posts} requests was answered (no longer in flight). */
  private static WriteAheadRecord answered(String name, SimOperation op, long posts) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      WriteAheadRecord r = record(name);
      return world.count(name, null, op) == posts && r != null && r.getInFlightUntil() == null ? r : null;
    }, r -> r != null);
  }

  private static List<RecordedRequest> agentexPosts(String agent) {
    return world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_CREATE && r.requestBody() != null
        && r.requestBody().contains("name: " + agent + "\\n") && r.requestBody().contains("agentdeploy.io/intent"));
  }

  private static String nonceOf(RecordedRequest post) {
    Matcher m = NONCE.matcher(post.requestBody());
    assertTrue(m.find(), "the deploy carries a write-ahead nonce");
    return m.group(1);
  }

  // W2: create
  @Test
  void aRetriedCreateKeepsItsFirstAttemptAndNonceSoALateCommitOfTheFirstIsRecovered() {
    String name = "w2-create";
    world.env.stopOperator();
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Status(500));
    world.apply(agent(name));
    world.env.startOperator();
    WriteAheadRecord first = answered(name, SimOperation.CREATE_DEPLOYMENT, 1);
    world.env.stopOperator();
    // The retry comes well after the first attempt: more than the skew the window allows.
    clock.advance(Duration.ofSeconds(30));
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Status(500));
    world.env.startOperator();
    WriteAheadRecord second = answered(name, SimOperation.CREATE_DEPLOYMENT, 2);
    world.env.stopOperator();
    assertEquals(first.getFirstAttempt(), second.getFirstAttempt(), "the retry keeps the first attempt's time");
    assertEquals(first.getNonce(), second.getNonce(), "the retry keeps the nonce");
    assertTrue(Instant.parse(second.getLastAttempt()).isAfter(Instant.parse(first.getLastAttempt()).plusSeconds(29)),
        "the last attempt moves on: " + second.getLastAttempt());

    // The first attempt committed after all (its 500 came from a proxy): made right after it.
    String late = world.sim.langsmith().createOutOfBand(SimulatedWorld.TENANT, name, "registry.example.com/agent:1",
        Instant.parse(first.getFirstAttempt()).plusMillis(200));
    world.env.startOperator();
    AgentDeployment ready = world.env.awaitReady(name);
    assertEquals(late, ready.getStatus().getDeploymentId());
    assertEquals(1, world.env.eventCount(name, "Recovered"));
    assertEquals(0, world.env.eventCount(name, "NameConflict"));
    assertEquals(2, world.count(name, null, SimOperation.CREATE_DEPLOYMENT), "no third POST");
    assertEquals(1, world.remote(name).size());
  }

  // W2: Agentex (the nonce is what a lost deploy is recognised by)
  @Test
  void retriedDeploysCarryTheFirstNonceSoALateCommitOfTheFirstIsRecovered() throws Exception {
    String name = "w2-deploy";
    world.sim.faults().next(SimOperation.AGENTEX_CREATE, 2, new Fault.Status(500));
    world.apply(Resources.agentexAgent(name, SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
    await().atMost(Duration.ofSeconds(20)).until(() -> agentexPosts(name).size() == 2);
    world.env.stopOperator(); // before a third attempt (it would succeed)
    String nonce = nonceOf(agentexPosts(name).get(0));
    // The first attempt lands late, as submitted (with its nonce).
    String body = JSON.writeValueAsString(Map.of("manifest_file", Resources.manifest(name),
        "environment_config", "env: prod\nreplicas: 1\n# agentdeploy.io/intent: " + nonce + "\n",
        "image_name", "registry.example.com/" + name, "image_tag", "1"));
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(world.sim.baseUrl() + "/v5/agentex/deployments")).header("x-api-key", SimulatedWorld.API_KEY)
        .header("x-selected-account-id", "acct-test").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    String late = JSON.readTree(answer.body()).path("id").asText();
    world.env.startOperator();
    AgentDeployment ready = world.env.awaitReady(name);
    assertEquals(late, ready.getStatus().getDeploymentId());
    assertEquals(1, world.env.eventCount(name, "Recovered"));
    List<RecordedRequest> posts = agentexPosts(name);
    assertEquals(List.of(500, 500, 200), posts.stream().map(RecordedRequest::status).toList(),
        "two attempts answered 500, then the late commit (no third attempt)");
    assertTrue(posts.stream().allMatch(p -> nonce.equals(nonceOf(p))), "every retry carries the first nonce");
    assertEquals(1, world.deploys(name).size(), "the late commit is the one deploy");
  }

  // W2: PATCH
  @Test
  void aRetriedPatchKeepsItsFirstAttemptAndNonceAndItsLostAnswerIsRecovered() {
    String name = "w2-patch";
    world.apply(agent(name));
    String id = world.env.awaitReady(name).getStatus().getDeploymentId();
    world.sim.faults().next(SimOperation.PATCH_DEPLOYMENT, 1, new Fault.Status(500))
        .next(SimOperation.PATCH_DEPLOYMENT, 1, new Fault.SaveThenFail(0));
    AgentDeployment second;
    List<WriteAheadRecord> records;
    try (ResourceVersions versions = new ResourceVersions(world.env.client, name)) {
      world.edit(name, a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
        return a;
      });
      second = world.env.awaitAgent(name, Duration.ofSeconds(30),
          a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
      records = versions.records().stream().filter(r -> "Update".equals(r.getOperation())).toList();
    }
    assertEquals(id, second.getStatus().getDeploymentId());
    assertTrue(records.stream().map(WriteAheadRecord::getLastAttempt).distinct().count() >= 2,
        "two attempts were recorded: " + records.size());
    assertEquals(1, records.stream().map(WriteAheadRecord::getFirstAttempt).distinct().count(),
        "one first attempt across the retries");
    assertEquals(1, records.stream().map(WriteAheadRecord::getNonce).distinct().count(), "one nonce");
    assertEquals(2, world.count(name, id, SimOperation.PATCH_DEPLOYMENT), "answered 500, then lost: not sent again");
    assertEquals(2, world.sim.langsmith().revisions(id).size(), "one new revision");
    assertEquals(1, world.env.eventCount(name, "Recovered"));
  }

  // O1: a create that commits after the request timeout
  @Test
  void aCreateThatCommitsAfterTheTimeoutIsLookedUpNotSentAgain() {
    String name = "o1-late";
    // Longer than the request timeout (2 s), shorter than the in-flight time (timeout + 1 s).
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Delay(2_800));
    List<String> reasons;
    AgentDeployment ready;
    try (ResourceVersions versions = new ResourceVersions(world.env.client, name)) {
      world.apply(agent(name));
      ready = world.env.awaitReady(name);
      reasons = versions.syncedReasons();
    }
    assertTrue(reasons.contains("CreateInFlight"), "a pass found the create in flight: " + reasons);
    assertEquals(1, world.count(name, null, SimOperation.CREATE_DEPLOYMENT), "exactly one POST");
    assertEquals(1, world.remote(name).size());
    assertEquals(world.remote(name).get(0).path("id").asText(), ready.getStatus().getDeploymentId());
    assertEquals(1, world.env.eventCount(name, "Recovered"));
  }

  // O1: Agentex, where a second POST would be a second deploy
  @Test
  void aDeployThatCommitsAfterTheTimeoutIsLookedUpNotSentAgain() {
    String name = "o1-deploy";
    world.sim.faults().next(SimOperation.AGENTEX_CREATE, 1, new Fault.Delay(2_800));
    List<String> reasons;
    AgentDeployment ready;
    try (ResourceVersions versions = new ResourceVersions(world.env.client, name)) {
      world.apply(Resources.agentexAgent(name, SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
      ready = world.env.awaitReady(name);
      reasons = versions.syncedReasons();
    }
    assertTrue(reasons.contains("CreateInFlight"), "a pass found the deploy in flight: " + reasons);
    assertEquals(1, agentexPosts(name).size(), "exactly one POST");
    assertEquals(1, world.deploys(name).size());
    assertEquals(world.deploys(name).get(0).path("id").asText(), ready.getStatus().getDeploymentId());
  }

  // O1: an update that commits after the request timeout
  @Test
  void aPatchThatCommitsAfterTheTimeoutIsLookedUpNotSentAgain() {
    String name = "o1-patch";
    world.apply(agent(name));
    String id = world.env.awaitReady(name).getStatus().getDeploymentId();
    world.sim.faults().next(SimOperation.PATCH_DEPLOYMENT, 1, new Fault.Delay(2_800));
    List<String> reasons;
    try (ResourceVersions versions = new ResourceVersions(world.env.client, name)) {
      world.edit(name, a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
        return a;
      });
      world.env.awaitAgent(name, Duration.ofSeconds(30),
          a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
      reasons = versions.syncedReasons();
    }
    assertTrue(reasons.contains("UpdateInFlight"), "a pass found the update in flight: " + reasons);
    assertEquals(1, world.count(name, id, SimOperation.PATCH_DEPLOYMENT), "exactly one PATCH");
    assertEquals(2, world.sim.langsmith().revisions(id).size());
  }
}

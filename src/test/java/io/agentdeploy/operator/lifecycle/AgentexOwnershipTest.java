package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.DeletionPolicy;
import io.agentdeploy.operator.api.HistoryEntry;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ownership rules on Agentex (issue 8): one owner per agent name and account, deploys made by
 * others are not fought, lost answers make no second deploy, deletion finds every deploy it made,
 * adoption by id, and a key rotation (no account id) is an account change.
 */
class AgentexOwnershipTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> LIVE = Set.of("COMPLETED", "RUNNING", "PENDING");
  private static SimulatedWorld world;
  /** A second simulator that accepts any API key (the world's accepts only its own). */
  private static Simulator anyKey;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
    anyKey = Simulator.start(SimulatedWorld.fastSimulator());
  }

  @AfterAll
  static void stop() {
    try {
      world.close();
    } finally {
      anyKey.close();
    }
  }

  @AfterEach
  void releaseEverything() {
    world.sim.faults().clear();
    world.releaseAll();
    world.assertContract();
  }

  private static AgentDeployment agent(String name, String tag) {
    return Resources.agentexAgent(name, SimulatedWorld.AGENTEX_CONTROL_PLANE, tag);
  }

  /** A deploy made by hand (the CLI, another tool): same agent, another image tag, no nonce of ours. */
  private static String handMadeDeploy(String agent, String tag) throws Exception {
    return handMadeDeploy(Map.of("manifest_file", Resources.manifest(agent),
        "environment_config", "env: prod\nreplicas: 1\n", "image_name", "registry.example.com/" + agent,
        "image_tag", tag));
  }

  /** A hand-made deploy of a build (its record shows the build id, unlike an image deploy's). */
  private static String handMadeBuildDeploy(String agent, String buildId, String environment) throws Exception {
    return handMadeDeploy(Map.of("manifest_file", Resources.manifest(agent), "environment_config", environment,
        "build_id", buildId));
  }

  private static String handMadeDeploy(Map<String, String> fields) throws Exception {
    String body = JSON.writeValueAsString(fields);
    HttpRequest request = HttpRequest.newBuilder(URI.create(world.sim.baseUrl() + "/v5/agentex/deployments"))
        .header("x-api-key", SimulatedWorld.API_KEY).header("x-selected-account-id", "acct-test")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return JSON.readTree(answer.body()).path("id").asText();
  }

  private static Map<String, String> statuses(String agent) {
    Map<String, String> out = new HashMap<>();
    world.deploys(agent).forEach(d -> out.put(d.path("id").asText(), d.path("status").asText()));
    return out;
  }

  private static List<String> historyIds(AgentDeployment a) {
    return a.getStatus().getHistory() == null ? List.of()
        : a.getStatus().getHistory().stream().map(HistoryEntry::getId).toList();
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

  // 11
  @Test
  void twoResourcesForOneAgentNameDeployOnce() {
    AgentDeployment first = agent("ax-dup", "1");
    first.getMetadata().setName("ax-dup-a");
    world.apply(first);
    String id = world.env.awaitReady("ax-dup-a").getStatus().getDeploymentId();
    AgentDeployment second = agent("ax-dup", "2");
    second.getMetadata().setName("ax-dup-b");
    world.apply(second);
    AgentDeployment conflict = world.env.awaitAgent("ax-dup-b", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "NameConflict"));
    assertTrue(condition(conflict, Conditions.SYNCED).get().getMessage().contains("ax-dup-a"),
        condition(conflict, Conditions.SYNCED).get().getMessage());
    holdsFor(Duration.ofSeconds(4), () -> world.deploys("ax-dup").size() == 1
        && reason(Conditions.SYNCED, "NameConflict").test(world.env.get("ax-dup-b"))
        && OperatorHarness.readyNow(world.env.get("ax-dup-a")));
    assertEquals(1, world.agentexCount("ax-dup", SimOperation.AGENTEX_CREATE));
    assertEquals(id, world.env.get("ax-dup-a").getStatus().getDeploymentId());
    assertNull(world.env.get("ax-dup-b").getStatus().getDeploymentId());
    assertEquals("COMPLETED", statuses("ax-dup").get(id));
  }

  // 12
  @Test
  void aHandMadeDeployThatSupersedesOursIsNotFought() throws Exception {
    world.apply(agent("ax-hand", "1"));
    String ours = world.env.awaitReady("ax-hand").getStatus().getDeploymentId();
    String hand = handMadeDeploy("ax-hand", "hotfix");
    AgentDeployment superseded = world.env.awaitAgent("ax-hand", Duration.ofSeconds(20),
        reason(Conditions.READY, "SupersededExternally"));
    assertTrue(condition(superseded, Conditions.READY).get().getMessage().contains(ours));
    holdsFor(Duration.ofSeconds(4), () -> world.deploys("ax-hand").size() == 2
        && reason(Conditions.READY, "SupersededExternally").test(world.env.get("ax-hand")));
    assertEquals(2, world.agentexCount("ax-hand", SimOperation.AGENTEX_CREATE), "ours and the hand-made one");
    assertEquals("COMPLETED", statuses("ax-hand").get(hand));
    assertEquals(1, world.env.eventCount("ax-hand", "SupersededExternally"));

    annotate("ax-hand", "agentdeploy.io/reconcile-requested-at", Instant.now().toString());
    AgentDeployment again = world.env.awaitAgent("ax-hand", Duration.ofSeconds(20),
        a -> !ours.equals(a.getStatus().getDeploymentId()) && !hand.equals(a.getStatus().getDeploymentId())
            && OperatorHarness.readyNow(a));
    assertEquals(3, world.agentexCount("ax-hand", SimOperation.AGENTEX_CREATE));
    assertEquals(3, world.deploys("ax-hand").size());
    RecordedRequest last = world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_CREATE
        && r.requestBody() != null && r.requestBody().contains("name: ax-hand\\n")).stream().reduce((a, b) -> b)
        .orElseThrow();
    assertTrue(last.requestBody().contains("\"image_tag\":\"1\""), "the spec's tag is deployed again: " + last);
  }

  // 13
  @Test
  void lostAnswerOnAnUpdateMakesNoExtraDeployAndDeletionFindsEveryDeploy() {
    world.apply(agent("ax-lost", "1"));
    String first = world.env.awaitReady("ax-lost").getStatus().getDeploymentId();
    world.sim.faults().next(SimOperation.AGENTEX_CREATE, 1, new Fault.SaveThenFail(0));
    world.edit("ax-lost", a -> {
      a.getSpec().getAgentex().getImage().setTag("2");
      return a;
    });
    AgentDeployment updated = world.env.awaitAgent("ax-lost", Duration.ofSeconds(30),
        a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
    String second = updated.getStatus().getDeploymentId();
    assertTrue(!first.equals(second));
    holdsFor(Duration.ofSeconds(4), () -> world.deploys("ax-lost").size() == 2);
    assertEquals(2, world.agentexCount("ax-lost", SimOperation.AGENTEX_CREATE));
    assertEquals(1, world.env.eventCount("ax-lost", "Recovered"));
    assertTrue(historyIds(world.env.get("ax-lost")).containsAll(List.of(first, second)),
        "history: " + historyIds(world.env.get("ax-lost")));

    world.delete("ax-lost");
    world.env.awaitGone("ax-lost");
    Map<String, String> statuses = statuses("ax-lost");
    assertEquals(2, statuses.size(), statuses.toString());
    assertTrue(statuses.values().stream().noneMatch(LIVE::contains), "left running: " + statuses);
    assertEquals("DELETED", statuses.get(second));
  }

  // 14
  @Test
  void adoptByIdTakesOverAHandMadeDeploy() throws Exception {
    String hand = handMadeDeploy("ax-adopt", "1");
    await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(statuses("ax-adopt").get(hand)));
    AgentDeployment agd = agent("ax-adopt", "1");
    agd.getMetadata().setAnnotations(Map.of("agentdeploy.io/adopt", hand));
    world.apply(agd);
    AgentDeployment adopted = world.env.awaitAgent("ax-adopt", Duration.ofSeconds(30), OperatorHarness::readyNow);
    assertTrue(historyIds(adopted).contains(hand), "history: " + historyIds(adopted));
    await().atMost(Duration.ofSeconds(5)).until(() -> world.env.eventCount("ax-adopt", "Adopted") == 1);
    assertEquals(0, world.env.eventCount("ax-adopt", "NameConflict"));
    // An image deploy's record shows no image name or tag: nothing proves the adopted one runs the
    // spec's image, so the spec is deployed once (as LangSmith PATCHes secret values once).
    assertTrue(world.env.eventMessages("ax-adopt", "Adopted").get(0).contains("image"),
        world.env.eventMessages("ax-adopt", "Adopted").toString());
    holdsFor(Duration.ofSeconds(3), () -> world.agentexCount("ax-adopt", SimOperation.AGENTEX_CREATE) == 2);
    String deployed = world.env.get("ax-adopt").getStatus().getDeploymentId();
    assertTrue(!hand.equals(deployed), "the spec was deployed over the adopted deploy");
    assertEquals("SUPERSEDED", statuses("ax-adopt").get(hand));
    assertEquals("COMPLETED", statuses("ax-adopt").get(deployed));
    // Deleted with the resource: the adopted deploy is this resource's now.
    world.edit("ax-adopt", a -> {
      a.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
      return a;
    });
    world.delete("ax-adopt");
    world.env.awaitGone("ax-adopt");
    assertTrue(statuses("ax-adopt").values().stream().noneMatch(LIVE::contains), statuses("ax-adopt").toString());
  }

  // 14: a build deploy's record shows its build, manifest and environment, compared once on adoption
  @Test
  void adoptByIdKeepsABuildDeployWhoseRecordShowsTheSpecAndDeploysOverOneThatDoesNot() throws Exception {
    String same = handMadeBuildDeploy("ax-adopt-same", "build-same", "env: prod\nreplicas: 1\n");
    String other = handMadeBuildDeploy("ax-adopt-env", "build-env", "env: staging\nreplicas: 3\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(statuses("ax-adopt-same").get(same))
        && "COMPLETED".equals(statuses("ax-adopt-env").get(other)));
    for (var adopt : Map.of("ax-adopt-same", same, "ax-adopt-env", other).entrySet()) {
      AgentDeployment agd = agent(adopt.getKey(), "unused");
      agd.getSpec().getAgentex().setImage(null);
      agd.getSpec().getAgentex().setBuildId(adopt.getKey().equals("ax-adopt-same") ? "build-same" : "build-env");
      agd.getMetadata().setAnnotations(Map.of("agentdeploy.io/adopt", adopt.getValue()));
      world.apply(agd);
    }
    AgentDeployment kept = world.env.awaitReady("ax-adopt-same");
    holdsFor(Duration.ofSeconds(3), () -> world.agentexCount("ax-adopt-same", SimOperation.AGENTEX_CREATE) == 1
        && same.equals(world.env.get("ax-adopt-same").getStatus().getDeploymentId()));
    assertEquals(same, kept.getStatus().getDeploymentId());
    assertEquals("COMPLETED", statuses("ax-adopt-same").get(same));

    AgentDeployment redeployed = world.env.awaitAgent("ax-adopt-env", Duration.ofSeconds(30),
        a -> OperatorHarness.readyNow(a) && !other.equals(a.getStatus().getDeploymentId()));
    assertTrue(world.env.eventMessages("ax-adopt-env", "Adopted").get(0).contains("environment"),
        world.env.eventMessages("ax-adopt-env", "Adopted").toString());
    holdsFor(Duration.ofSeconds(3), () -> world.agentexCount("ax-adopt-env", SimOperation.AGENTEX_CREATE) == 2);
    assertEquals("SUPERSEDED", statuses("ax-adopt-env").get(other));
    JsonNode posted = world.deploys("ax-adopt-env").stream()
        .filter(d -> d.path("id").asText().equals(redeployed.getStatus().getDeploymentId())).findFirst().orElseThrow();
    assertTrue(posted.path("environment_config").asText().startsWith("env: prod\nreplicas: 1\n"), posted.toString());
  }

  // 4 (Agentex: LangSmith needs an explicit tenant, so only an Agentex ControlPlane addresses an account by key)
  @Test
  void keyRotationWithoutAnAccountIdIsAnAccountChange() {
    world.env.client.resource(Resources.apiKeySecret("ax-rotate-key", "sgp_key_first_0001")).create();
    ControlPlane cp = Resources.agentexControlPlane("ax-rotate-cp", anyKey.baseUrl(), "ax-rotate-key");
    cp.getSpec().setAccountId(null);
    world.env.client.resource(cp).create();
    world.apply(Resources.agentexAgent("ax-rotate", "ax-rotate-cp", "1"));
    AgentDeployment ready = world.env.awaitReady("ax-rotate");
    String id = ready.getStatus().getDeploymentId();
    String before = AccountKey.of(anyKey.baseUrl(), null, "sgp_key_first_0001").display();
    String after = AccountKey.of(anyKey.baseUrl(), null, "sgp_key_second_0002").display();
    assertEquals(before, ready.getStatus().getAccount());
    Instant rotated = Instant.now();
    world.env.client.secrets().inNamespace(Resources.NS).withName("ax-rotate-key").edit(s -> {
      s.setData(null);
      s.setStringData(Map.of("apiKey", "sgp_key_second_0002"));
      return s;
    });
    AgentDeployment changed = world.env.awaitAgent("ax-rotate", Duration.ofSeconds(30),
        reason(Conditions.SYNCED, "ControlPlaneChanged"));
    assertTrue(condition(changed, Conditions.SYNCED).get().getMessage().contains(after),
        condition(changed, Conditions.SYNCED).get().getMessage());
    holdsFor(Duration.ofSeconds(4), () -> reason(Conditions.SYNCED, "ControlPlaneChanged")
        .test(world.env.get("ax-rotate")));
    List<RecordedRequest> writes = anyKey.requests().matching(r -> r.time().isAfter(rotated)
        && r.operation().isWrite());
    assertEquals(List.of(), writes);
    assertEquals(1, anyKey.requests().count(SimOperation.AGENTEX_CREATE));
    assertEquals(id, world.env.get("ax-rotate").getStatus().getDeploymentId());
    JsonNode deploy = anyKey.agentex().deploys().stream().filter(d -> id.equals(d.path("id").asText())).findFirst()
        .orElseThrow();
    assertEquals("COMPLETED", deploy.path("status").asText());
    assertNotNull(world.env.get("ax-rotate").getStatus().getAccountSettings());
  }
}

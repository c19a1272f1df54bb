package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentexPreview;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Agentex ownership at the edges (issue 8): one release per agent and account across
 * ControlPlanes (previews exempt), the ways out of SupersededExternally, deletion of exactly the
 * deploys this resource made, refused DELETEs read again, the lost-deploy lookup behind many newer
 * deploys and with the API's filters, a hand-made deploy during a lost create, and a resource
 * that lost its status next to its own live deploy.
 */
class AgentexEdgesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> LIVE = Set.of("COMPLETED", "RUNNING", "PENDING");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
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

  private static AgentDeployment agent(String name, String tag) {
    return Resources.agentexAgent(name, SimulatedWorld.AGENTEX_CONTROL_PLANE, tag);
  }

  /** A deploy made by hand (the CLI, another tool): no nonce of ours. */
  private static String handMadeDeploy(String agent, String tag) throws Exception {
    String body = JSON.writeValueAsString(Map.of("manifest_file", Resources.manifest(agent),
        "environment_config", "env: prod\nreplicas: 1\n", "image_name", "registry.example.com/" + agent,
        "image_tag", tag));
    HttpRequest request = HttpRequest.newBuilder(URI.create(world.sim.baseUrl() + "/v5/agentex/deployments"))
        .header("x-api-key", SimulatedWorld.API_KEY).header("x-selected-account-id", "acct-test")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return JSON.readTree(answer.body()).path("id").asText();
  }

  private static Map<String, String> statuses(String agent) {
    Map<String, String> out = new HashMap<>();
    world.deploys(agent).forEach(d -> out.put(d.path("id").asText(), d.path("status").asText()));
    return out;
  }

  /** Deploy POSTs the operator sent for {@code agent} (they carry a write-ahead nonce; hand-made ones do not). */
  private static List<RecordedRequest> operatorPosts(String agent) {
    return world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_CREATE && r.requestBody() != null
        && r.requestBody().contains("name: " + agent + "\\n") && r.requestBody().contains("agentdeploy.io/intent"));
  }

  private static void annotate(String name, String key, String value) {
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      world.edit(name, a -> {
        Map<String, String> annotations = a.getMetadata().getAnnotations() == null ? new HashMap<>()
            : new HashMap<>(a.getMetadata().getAnnotations());
        annotations.put(key, value);
        a.getMetadata().setAnnotations(annotations);
        return a;
      });
      return true;
    });
  }

  private static void holdsFor(Duration period, Callable<Boolean> invariant) {
    await().during(period).atMost(period.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(invariant);
  }

  private static String synced(String name) {
    return condition(world.env.get(name), Conditions.SYNCED).map(c -> c.getMessage()).orElse("");
  }

  // X1
  @Test
  void twoResourcesOnTwoControlPlanesOfOneAccountDeployOnceAndAPreviewIsExempt() {
    // A second ControlPlane for the same account (same address, key and account id).
    world.env.client.resource(Resources.agentexControlPlane("ax-x1-cp", world.sim.baseUrl(), "langsmith-key"))
        .create();
    AgentDeployment first = agent("x1", "1");
    first.getMetadata().setName("x1-a");
    world.apply(first);
    String id = world.env.awaitReady("x1-a").getStatus().getDeploymentId();
    AgentDeployment second = Resources.agentexAgent("x1", "ax-x1-cp", "2");
    second.getMetadata().setName("x1-b");
    world.apply(second);
    world.env.awaitAgent("x1-b", Duration.ofSeconds(20), reason(Conditions.SYNCED, "NameConflict"));
    assertTrue(synced("x1-b").contains("x1-a"), synced("x1-b"));

    // A preview of the same agent has a release of its own: it deploys, and production stays as it is.
    AgentDeployment preview = agent("x1", "pr");
    preview.getMetadata().setName("x1-preview");
    AgentexPreview settings = new AgentexPreview();
    settings.setLabel("pr-1");
    preview.getSpec().getAgentex().setPreview(settings);
    world.apply(preview);
    String previewId = world.env.awaitReady("x1-preview").getStatus().getDeploymentId();
    holdsFor(Duration.ofSeconds(3), () -> reason(Conditions.SYNCED, "NameConflict").test(world.env.get("x1-b"))
        && OperatorHarness.readyNow(world.env.get("x1-a")));
    assertEquals(2, operatorPosts("x1").size(), "one production deploy and one preview");
    assertEquals("COMPLETED", statuses("x1").get(id), "the preview did not supersede production");
    assertEquals("COMPLETED", statuses("x1").get(previewId));
    assertNull(world.env.get("x1-b").getStatus().getDeploymentId());
  }

  // X1: applied together (a GitOps sync), before either records an account
  @Test
  void twoResourcesOnTwoControlPlanesOfOneAccountAppliedTogetherDeployOnce() {
    world.env.client.resource(Resources.agentexControlPlane("ax-x1t-cp", world.sim.baseUrl(), "langsmith-key"))
        .create();
    await().atMost(Duration.ofSeconds(20)).until(() -> world.env.controlPlane("ax-x1t-cp"),
        cp -> cp != null && cp.getStatus() != null && Conditions.isTrue(cp.getStatus().getConditions(), Conditions.READY));
    AgentDeployment first = agent("x1t", "1");
    first.getMetadata().setName("x1t-a");
    AgentDeployment second = Resources.agentexAgent("x1t", "ax-x1t-cp", "2");
    second.getMetadata().setName("x1t-b");
    world.apply(first);
    world.apply(second);
    world.env.awaitReady("x1t-a");
    world.env.awaitAgent("x1t-b", Duration.ofSeconds(20), reason(Conditions.SYNCED, "NameConflict"));
    holdsFor(Duration.ofSeconds(3), () -> OperatorHarness.readyNow(world.env.get("x1t-a"))
        && reason(Conditions.SYNCED, "NameConflict").test(world.env.get("x1t-b")));
    assertEquals(1, operatorPosts("x1t").size(), "the older resource deploys, the other waits");
  }

  // X2
  @Test
  void aSpecChangeEndsSupersededExternallyAndDeploysAgain() throws Exception {
    world.apply(agent("x2", "1"));
    String ours = world.env.awaitReady("x2").getStatus().getDeploymentId();
    String hand = handMadeDeploy("x2", "hotfix");
    world.env.awaitAgent("x2", Duration.ofSeconds(20), reason(Conditions.READY, "SupersededExternally"));
    assertEquals(1, operatorPosts("x2").size());
    world.edit("x2", a -> {
      a.getSpec().getAgentex().getImage().setTag("2");
      return a;
    });
    AgentDeployment again = world.env.awaitAgent("x2", Duration.ofSeconds(20),
        a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
    String newer = again.getStatus().getDeploymentId();
    assertNotEquals(ours, newer);
    assertNotEquals(hand, newer);
    assertEquals(2, operatorPosts("x2").size());
    assertTrue(operatorPosts("x2").get(1).requestBody().contains("\"image_tag\":\"2\""));
    assertEquals("SUPERSEDED", statuses("x2").get(hand), "the new spec replaced the hand-made deploy");
  }

  // X3
  @Test
  void deletionDeletesOnlyItsOwnDeploysAndSaysWhenTheServingOneIsNotOurs() throws Exception {
    world.apply(agent("x3", "1"));
    String ours = world.env.awaitReady("x3").getStatus().getDeploymentId();
    String hand = handMadeDeploy("x3", "hotfix");
    world.env.awaitAgent("x3", Duration.ofSeconds(20), reason(Conditions.READY, "SupersededExternally"));
    world.delete("x3");
    world.env.awaitGone("x3");
    assertEquals("COMPLETED", statuses("x3").get(hand), "the hand-made deploy serves on");
    assertEquals("SUPERSEDED", statuses("x3").get(ours));
    assertEquals(0, world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_DELETE
        && r.path().contains(hand)).size());
    await().atMost(Duration.ofSeconds(5)).until(() -> world.env.eventCount("x3", "ServingNotOurs") == 1);
  }

  // X6
  @ParameterizedTest
  @ValueSource(ints = {400, 404, 410, 422})
  void aDeleteAnsweredWithAClientErrorIsReadAgainBeforeAnythingCountsAsGone(int code) {
    String name = "x6-" + code;
    world.apply(agent(name, "1"));
    String id = world.env.awaitReady(name).getStatus().getDeploymentId();
    world.sim.faults().next(SimOperation.AGENTEX_DELETE, 1, new Fault.Status(code));
    world.delete(name);
    world.env.awaitGone(name);
    assertEquals("DELETED", statuses(name).get(id), "released only once the deploy is gone");
    List<RecordedRequest> deletes = world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_DELETE
        && r.path().contains(id));
    assertEquals(List.of(code, 200), deletes.stream().map(RecordedRequest::status).toList(),
        "refused once, read again, then deleted");
    assertTrue(world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_GET && r.path().contains(id)
        && r.time().isAfter(deletes.get(0).time()) && r.time().isBefore(deletes.get(1).time())).size() >= 1,
        "the deploy was read between the refused DELETE and the next one");
  }

  // X4 / 8c
  @Test
  void aLostDeployIsFoundByItsNonceBehindMoreThan500NewerDeploys() throws Exception {
    // The deploy is saved, its answer never completes; the operator stops while it waits.
    world.sim.faults().next(SimOperation.AGENTEX_CREATE, 1, new Fault.StallMidBody());
    world.apply(agent("x4", "1"));
    await().atMost(Duration.ofSeconds(20)).until(() -> operatorPosts("x4").size() == 1);
    world.env.stopOperator();
    String made = world.deploys("x4").get(0).path("id").asText();
    for (int i = 0; i < 520; i++) {
      handMadeDeploy("x4-filler-" + (i % 10), "f" + i);
    }
    Instant restarted = Instant.now();
    world.env.startOperator();
    AgentDeployment ready = world.env.awaitReady("x4");
    assertEquals(made, ready.getStatus().getDeploymentId());
    assertEquals(1, operatorPosts("x4").size(), "no second deploy");
    assertEquals(1, world.env.eventCount("x4", "Recovered"));
    long pages = world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_LIST
        && r.time().isAfter(restarted) && r.query() != null && r.query().contains("sort_order=desc")).size();
    assertTrue(pages >= 6, "the lookup paged past 500 newer deploys: " + pages + " pages");
  }

  // X4 / 8c: the filters
  @Test
  void theLostDeployLookupFiltersByBuildIdAndByPreviewLabel() {
    AgentDeployment built = agent("x4b", "1");
    built.getSpec().getAgentex().setImage(null);
    built.getSpec().getAgentex().setBuildId("build-x4b");
    AgentDeployment preview = agent("x4p", "1");
    AgentexPreview settings = new AgentexPreview();
    settings.setLabel("pr-x4p");
    preview.getSpec().getAgentex().setPreview(settings);
    world.sim.faults().next(SimOperation.AGENTEX_CREATE, 2, new Fault.SaveThenFail(0));
    world.apply(built);
    world.apply(preview);
    for (String name : List.of("x4b", "x4p")) {
      AgentDeployment ready = world.env.awaitReady(name);
      assertEquals(1, operatorPosts(name).size(), name);
      assertEquals(world.deploys(name).get(0).path("id").asText(), ready.getStatus().getDeploymentId());
      assertEquals(1, world.env.eventCount(name, "Recovered"), name);
    }
    Instant firstPost = operatorPosts("x4b").get(0).time();
    assertTrue(world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_LIST && r.query() != null
        && r.time().isAfter(firstPost) && r.query().contains("build_id=build-x4b")).size() >= 1,
        "the lookup after the lost deploy asks for the build's deploys only");
    Instant previewPost = operatorPosts("x4p").get(0).time();
    assertTrue(world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_LIST && r.query() != null
        && r.time().isAfter(previewPost) && r.query().contains("preview_label=pr-x4p")).size() >= 1,
        "the lookup after the lost deploy asks for the preview label's deploys only");
  }

  // Case 2 (Agentex half) and E3
  @Test
  void aHandMadeDeployDuringALostCreateIsNeitherRecoveredNorDeleted() throws Exception {
    // Our deploy is never applied and never answered; meanwhile someone deploys another tag by hand.
    world.sim.faults().next(SimOperation.AGENTEX_CREATE, 1, new Fault.Hang());
    world.apply(agent("e3", "1"));
    await().atMost(Duration.ofSeconds(20)).until(() -> operatorPosts("e3").size() == 1);
    String hand = handMadeDeploy("e3", "hotfix");
    AgentDeployment waiting = world.env.awaitAgent("e3", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "CreateOutcomeUnknown"));
    assertTrue(synced("e3").contains(hand), synced("e3"));
    holdsFor(Duration.ofSeconds(3), () -> world.env.get("e3").getStatus().getDeploymentId() == null
        && operatorPosts("e3").size() == 1);
    assertEquals(0, world.env.eventCount("e3", "Recovered"), "another image tag is not our deploy");
    assertNull(waiting.getStatus().getDeploymentId());

    world.edit("e3", a -> {
      a.getSpec().setDeletionPolicy(io.agentdeploy.operator.api.DeletionPolicy.Delete);
      return a;
    });
    world.delete("e3");
    world.env.awaitGone("e3");
    assertEquals("COMPLETED", statuses("e3").get(hand), "a deploy without our nonce is never deleted");
    assertEquals(0, world.agentexCount("e3", SimOperation.AGENTEX_DELETE));
  }

  // W4 (Agentex)
  @Test
  void aResourceRecreatedWithoutItsStatusDoesNotDeployOverItsOwnLiveDeploy() {
    world.apply(agent("w4x", "1"));
    String id = world.env.awaitReady("w4x").getStatus().getDeploymentId();
    // A restore without status (or kubectl replace --force after the finalizer went): same spec, nothing recorded.
    world.env.stopOperator();
    world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName("w4x").edit(a -> {
      a.getMetadata().setFinalizers(List.of());
      return a;
    });
    world.delete("w4x");
    world.env.awaitGone("w4x");
    world.apply(agent("w4x", "1"));
    world.env.startOperator();
    world.env.awaitAgent("w4x", Duration.ofSeconds(20), reason(Conditions.SYNCED, "NameConflict"));
    assertTrue(synced("w4x").contains("agentdeploy.io/adopt: " + id), synced("w4x"));
    holdsFor(Duration.ofSeconds(3), () -> operatorPosts("w4x").size() == 1
        && reason(Conditions.SYNCED, "NameConflict").test(world.env.get("w4x")));
    assertEquals("COMPLETED", statuses("w4x").get(id));

    annotate("w4x", "agentdeploy.io/adopt", id);
    // An image deploy's record shows no image: nothing proves the adopted deploy runs the spec's,
    // so the spec is deployed once over it (one live deploy, the new one).
    AgentDeployment adopted = world.env.awaitAgent("w4x", Duration.ofSeconds(30),
        a -> OperatorHarness.readyNow(a) && !id.equals(a.getStatus().getDeploymentId()));
    holdsFor(Duration.ofSeconds(3), () -> operatorPosts("w4x").size() == 2);
    assertEquals(1, world.deploys("w4x").stream().filter(d -> LIVE.contains(d.path("status").asText())).count());
    assertEquals("SUPERSEDED", statuses("w4x").get(id));
    assertEquals("COMPLETED", statuses("w4x").get(adopted.getStatus().getDeploymentId()));
  }

  @Test
  void aFirstCreateNextToAHandMadeLiveDeployAsksForAdoptionAndAPreviewDoesNot() throws Exception {
    String hand = handMadeDeploy("w4h", "hotfix");
    await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(statuses("w4h").get(hand)));
    world.apply(agent("w4h", "1"));
    world.env.awaitAgent("w4h", Duration.ofSeconds(20), reason(Conditions.SYNCED, "NameConflict"));
    assertTrue(synced("w4h").contains("agentdeploy.io/adopt: " + hand), synced("w4h"));
    AgentDeployment preview = agent("w4h", "pr");
    preview.getMetadata().setName("w4h-preview");
    preview.getSpec().getAgentex().setPreview(new AgentexPreview());
    world.apply(preview);
    world.env.awaitReady("w4h-preview");
    assertEquals(1, operatorPosts("w4h").size(), "only the preview deployed");
    assertEquals("COMPLETED", statuses("w4h").get(hand));
    JsonNode previewDeploy = world.deploys("w4h").stream()
        .filter(d -> d.path("id").asText().equals(world.env.get("w4h-preview").getStatus().getDeploymentId()))
        .findFirst().orElseThrow();
    assertTrue(!previewDeploy.path("expires_at").isNull());
  }
}

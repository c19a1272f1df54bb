package io.agentdeploy.operator.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.simulator.SimClient.Answer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's LangSmith API, driven over HTTP; after every test the whole request log is
 * validated against the OpenAPI description.
 */
class SimulatorLangSmithTest {
  private Simulator sim;
  private SimClient client;

  private void start(SimulatorConfig config) {
    if (sim != null) {
      sim.close();
    }
    sim = Simulator.start(config);
    client = new SimClient(sim.baseUrl());
  }

  @BeforeEach
  void setUp() {
    start(SimulatorConfig.defaults().withTimings(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(300))
        .withFailureRules(List.of(FailureRule.image(":broken$", "DEPLOY_FAILED"),
            FailureRule.repoRef("^bad-", "BUILD_FAILED"))));
  }

  @AfterEach
  void contract() {
    try {
      // Some tests send invalid input on purpose: those requests may break the schema, their 422s may not.
      OpenApiContract.assertConforms(sim.requests().all(), true);
    } finally {
      sim.close();
    }
  }

  private JsonNode create(String body) throws Exception {
    Answer a = client.call("POST", "/v2/deployments", body);
    assertEquals(201, a.status(), String.valueOf(a.body()));
    return a.body();
  }

  private String revisionStatus(String id, String rid) throws Exception {
    return client.call("GET", "/v2/deployments/" + id + "/revisions/" + rid, null).body().path("status").asText();
  }

  @Test
  void dockerRevisionProgressesToDeployedAndBecomesActive() throws Exception {
    JsonNode d = create(SimClient.dockerBody("agent-one", "img:1"));
    String id = d.path("id").asText();
    String rid = d.path("latest_revision_id").asText();
    assertEquals("AWAITING_DATABASE", d.path("status").asText());
    assertTrue(d.path("active_revision_id").isNull());
    await().atMost(Duration.ofSeconds(5)).until(() -> "DEPLOYED".equals(revisionStatus(id, rid)));
    JsonNode after = client.call("GET", "/v2/deployments/" + id, null).body();
    assertEquals(rid, after.path("active_revision_id").asText());
    assertEquals("READY", after.path("status").asText());
    JsonNode list = client.call("GET", "/v2/deployments/" + id + "/revisions?limit=5", null).body();
    assertEquals(1, list.path("resources").size());
  }

  @Test
  void withZeroStepsARevisionIsDeployedAndActiveInTheAnswerToItsCreate() throws Exception {
    // The benchmark's instant remote: a read in the same millisecond as the create sees it live.
    start(SimulatorConfig.defaults().withTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO));
    for (int i = 0; i < 20; i++) {
      JsonNode d = create(SimClient.dockerBody("instant-" + i, "img:1"));
      String rid = d.path("latest_revision_id").asText();
      assertEquals("DEPLOYED", revisionStatus(d.path("id").asText(), rid));
      assertEquals(rid, d.path("active_revision_id").asText());
    }
  }

  @Test
  void failureRulesEndRevisionsInTheirFailedStatusAndTheyNeverServe() throws Exception {
    // Steps of 400 ms: a 10 ms poll on a busy machine missed a 50 ms BUILDING step.
    start(SimulatorConfig.defaults().withTimings(Duration.ofMillis(400), Duration.ofMillis(50), Duration.ofMillis(300))
        .withFailureRules(List.of(FailureRule.image(":broken$", "DEPLOY_FAILED"),
            FailureRule.repoRef("^bad-", "BUILD_FAILED"))));
    JsonNode d = create(SimClient.dockerBody("agent-broken", "img:broken"));
    String id = d.path("id").asText();
    String rid = d.path("latest_revision_id").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> "DEPLOY_FAILED".equals(revisionStatus(id, rid)));
    assertTrue(client.call("GET", "/v2/deployments/" + id, null).body().path("active_revision_id").isNull());

    JsonNode g = create(SimClient.githubBody("agent-gh", "bad-branch"));
    String gid = g.path("id").asText();
    String grid = g.path("latest_revision_id").asText();
    List<String> seen = new java.util.ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> {
      String s = revisionStatus(gid, grid);
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
        seen.add(s);
      }
      return s.equals("BUILD_FAILED");
    });
    assertTrue(seen.contains("BUILDING"), "a github revision builds before failing: " + seen);
  }

  @Test
  void patchCreatesOneRevisionOnlyForRevisionFields() throws Exception {
    JsonNode d = create(SimClient.dockerBody("agent-patch", "img:1"));
    String id = d.path("id").asText();
    Answer inPlace = client.call("PATCH", "/v2/deployments/" + id, "{\"source_config\":{\"custom_url\":\"https://a.example.com\"}}");
    assertEquals(200, inPlace.status());
    assertEquals(d.path("latest_revision_id"), inPlace.body().path("latest_revision_id"), "no new revision");
    assertEquals("https://a.example.com", inPlace.body().at("/source_config/custom_url").asText());

    Answer newRevision = client.call("PATCH", "/v2/deployments/" + id,
        "{\"source_revision_config\":{\"image_uri\":\"img:2\"},\"secrets\":[{\"name\":\"TOKEN\",\"value\":\"v2\"}]}");
    assertEquals(200, newRevision.status());
    assertNotEquals(d.path("latest_revision_id"), newRevision.body().path("latest_revision_id"));
    assertEquals("img:2", newRevision.body().at("/source_revision_config/image_uri").asText());
    assertEquals(2, sim.langsmith().revisions(id).size());
  }

  @Test
  void immutableFieldsUniqueNamesAndSchemaErrors() throws Exception {
    JsonNode g = create(SimClient.githubBody("agent-imm", "main"));
    Answer changeRepo = client.call("PATCH", "/v2/deployments/" + g.path("id").asText(),
        "{\"source_config\":{\"repo_url\":\"https://github.com/acme/other\"}}");
    assertEquals(400, changeRepo.status());
    assertTrue(changeRepo.body().path("detail").asText().contains("repo_url"));
    Answer duplicate = client.call("POST", "/v2/deployments", SimClient.githubBody("agent-imm", "main"));
    assertEquals(400, duplicate.status());
    assertTrue(duplicate.body().path("detail").asText().contains("already exists"));
    Answer missing = client.call("POST", "/v2/deployments", "{\"name\":\"x\",\"source\":\"github\"}");
    assertEquals(422, missing.status());
    assertEquals("missing", missing.body().at("/detail/0/type").asText());
    Answer rule = client.call("POST", "/v2/deployments",
        SimClient.dockerBody("agent-rule", "img:1").replace("\"image_uri\":\"img:1\"", "\"langgraph_config_path\":\"x\""));
    assertEquals(400, rule.status());
    assertEquals(404, client.call("GET", "/v2/deployments/0f8d3c2a-1b4e-4c6d-9e7f-000000000000", null).status());
    assertEquals(422, client.call("GET", "/v2/deployments/not-a-uuid", null).status());
  }

  @Test
  void deleteIsSoftThenGoneAndTheNameIsFreeAgain() throws Exception {
    JsonNode d = create(SimClient.dockerBody("agent-del", "img:1"));
    String id = d.path("id").asText();
    assertEquals(400, client.call("DELETE", "/v2/deployments/" + id + "?force=true", null).status(),
        "force only after a soft delete");
    Answer del = client.call("DELETE", "/v2/deployments/" + id + "?delete_tracing_project=true", null);
    assertEquals(204, del.status());
    assertEquals("AWAITING_DELETE", client.call("GET", "/v2/deployments/" + id, null).body().path("status").asText());
    assertEquals(204, client.call("DELETE", "/v2/deployments/" + id, null).status(), "repeat is accepted");
    assertEquals(400, client.call("POST", "/v2/deployments", SimClient.dockerBody("agent-del", "img:1")).status(),
        "a deployment pending deletion still holds its name");
    await().atMost(Duration.ofSeconds(3)).until(() -> client.call("GET", "/v2/deployments/" + id, null).status() == 404);
    assertTrue(sim.langsmith().deletedWithTracingProject(id));
    create(SimClient.dockerBody("agent-del", "img:1"));
  }

  @Test
  void forcePurgesASoftDeletedDeploymentAtOnce() throws Exception {
    String id = create(SimClient.dockerBody("agent-force", "img:1")).path("id").asText();
    client.call("DELETE", "/v2/deployments/" + id, null);
    assertEquals(204, client.call("DELETE", "/v2/deployments/" + id + "?force=true", null).status());
    assertEquals(404, client.call("GET", "/v2/deployments/" + id, null).status());
    assertNotEquals(id, create(SimClient.dockerBody("agent-force", "img:1")).path("id").asText(),
        "the name is free again at once");
  }

  @Test
  void listFiltersAndPagesAndTenantsAreIsolated() throws Exception {
    for (int i = 0; i < 5; i++) {
      create(SimClient.dockerBody("list-agent-" + i, "img:1"));
    }
    String firstId = create(SimClient.dockerBody("other", "img:1")).path("id").asText();
    JsonNode page = client.call("GET", "/v2/deployments?name_contains=list-agent&limit=2&offset=0", null).body();
    assertEquals(2, page.path("resources").size());
    assertEquals(2, page.path("offset").asInt());
    JsonNode rest = client.call("GET", "/v2/deployments?name_contains=list-agent&limit=100&offset=2", null).body();
    assertEquals(3, rest.path("resources").size());
    JsonNode byId = client.call("GET", "/v2/deployments?deployment_ids=" + firstId, null).body();
    assertEquals(1, byId.path("resources").size());
    assertEquals(422, client.call("GET", "/v2/deployments?limit=101", null).status());
    client.tenant = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    assertEquals(0, client.call("GET", "/v2/deployments", null).body().path("resources").size());
    assertEquals(404, client.call("GET", "/v2/deployments/" + firstId, null).status());
  }

  /**
   * name_contains is a substring match wherever the part sits in the name, whatever its length,
   * newest first, and a deployment purged after its deletion is no longer found; the expected
   * answer of each part is worked out here from the names with String.contains.
   */
  @Test
  void nameContainsMatchesAnySubstringNewestFirstAndForgetsPurgedDeployments() throws Exception {
    List<String> names = List.of("alpha-123", "x-alpha-1234", "beta-123", "alp", "gamma-alpha-12", "a");
    java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
    for (String name : names) {
      ids.put(name, create(SimClient.dockerBody(name, "img:1")).path("id").asText());
    }
    for (String part : List.of("alpha-12", "pha-1", "123", "alp", "al", "a", "-", "x-alpha-1234", "zzz", "alpha-1235")) {
      List<String> expected = new java.util.ArrayList<>(names.stream().filter(n -> n.contains(part)).toList());
      java.util.Collections.reverse(expected);
      assertEquals(expected, listedNames("name_contains=" + part + "&limit=100"), "name_contains=" + part);
    }

    // A soft delete, then the purge (as forcePurgesASoftDeletedDeploymentAtOnce does).
    client.call("DELETE", "/v2/deployments/" + ids.get("x-alpha-1234"), null);
    assertEquals(204, client.call("DELETE", "/v2/deployments/" + ids.get("x-alpha-1234") + "?force=true", null).status());
    assertEquals(List.of("gamma-alpha-12", "alpha-123"), listedNames("name_contains=alpha-12&limit=100"));
    assertEquals(List.of(), listedNames("name_contains=x-al&limit=100"));
  }

  private List<String> listedNames(String query) throws Exception {
    JsonNode page = client.call("GET", "/v2/deployments?" + query, null).body();
    List<String> out = new java.util.ArrayList<>();
    page.path("resources").forEach(d -> out.add(d.path("name").asText()));
    return out;
  }

  @Test
  void authIsCheckedAndKeysAreRedactedInTheLog() throws Exception {
    start(SimulatorConfig.defaults().withApiKey("the-right-key"));
    client.apiKey = null;
    assertEquals(401, client.call("GET", "/v2/deployments", null).status());
    client.apiKey = "a-wrong-key";
    assertEquals(403, client.call("GET", "/v2/deployments", null).status());
    client.apiKey = "the-right-key";
    client.tenant = null;
    assertEquals(403, client.call("GET", "/v2/deployments", null).status());
    client.tenant = SimClient.TENANT;
    assertEquals(200, client.call("GET", "/api-host/v2/deployments", null).status(), "self-hosted prefix");
    for (RecordedRequest r : sim.requests().all()) {
      assertFalse(r.headers().containsValue("the-right-key"));
      assertFalse(r.headers().containsValue("a-wrong-key"));
    }
    assertEquals(3, sim.requests().matching(RecordedRequest::exempt).size());
  }

  @Test
  void patchDuringRolloutIsRejectedOrQueuedByFlag() throws Exception {
    start(SimulatorConfig.defaults().withTimings(Duration.ofMillis(300), Duration.ZERO, Duration.ofMillis(100))
        .withPatchDuringRollout(SimulatorConfig.PatchDuringRollout.REJECT));
    String id = create(SimClient.dockerBody("agent-busy", "img:1")).path("id").asText();
    Answer rejected = client.call("PATCH", "/v2/deployments/" + id, "{\"source_revision_config\":{\"image_uri\":\"img:2\"}}");
    assertEquals(400, rejected.status());
    assertTrue(rejected.body().path("detail").asText().contains("in progress"));

    start(SimulatorConfig.defaults().withTimings(Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(100)));
    JsonNode d = create(SimClient.dockerBody("agent-queue", "img:1"));
    String qid = d.path("id").asText();
    Answer queued = client.call("PATCH", "/v2/deployments/" + qid, "{\"source_revision_config\":{\"image_uri\":\"img:2\"}}");
    assertEquals(200, queued.status());
    String second = queued.body().path("latest_revision_id").asText();
    assertEquals("QUEUED", revisionStatus(qid, second));
    await().atMost(Duration.ofSeconds(5)).until(() -> "DEPLOYED".equals(revisionStatus(qid, second)));
    assertEquals("DEPLOYED", revisionStatus(qid, d.path("latest_revision_id").asText()));
    assertEquals(second, client.call("GET", "/v2/deployments/" + qid, null).body().path("active_revision_id").asText());
  }

  @Test
  void faultsAnswerAsToldAndSaveThenFailKeepsTheChange() throws Exception {
    sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 2, new Fault.Status(503));
    assertEquals(503, client.call("GET", "/v2/deployments", null).status());
    assertEquals(503, client.call("GET", "/v2/deployments", null).status());
    assertEquals(200, client.call("GET", "/v2/deployments", null).status());

    sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 1, new Fault.RateLimited(7));
    Answer limited = client.call("GET", "/v2/deployments", null);
    assertEquals(429, limited.status());
    assertEquals("7", limited.raw().headers().firstValue("retry-after").orElse(""));

    sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 1, new Fault.Drop());
    assertThrows(IOException.class, () -> client.call("GET", "/v2/deployments", null));

    sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.SaveThenFail(502));
    assertEquals(502, client.call("POST", "/v2/deployments", SimClient.dockerBody("saved", "img:1")).status());
    sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.SaveThenFail(0));
    assertThrows(IOException.class, () -> client.call("POST", "/v2/deployments", SimClient.dockerBody("saved2", "img:1")));
    assertEquals(2, sim.langsmith().deployments().stream()
        .filter(d -> d.path("name").asText().startsWith("saved")).count());

    sim.faults().down(true);
    assertEquals(503, client.call("GET", "/v2/deployments", null).status());
    sim.faults().down(false);
    assertEquals(200, client.call("GET", "/v2/deployments", null).status());
    assertEquals(7, sim.requests().count(SimOperation.LIST_DEPLOYMENTS));
    assertEquals(2, sim.requests().count(SimOperation.CREATE_DEPLOYMENT));
  }

  @Test
  void outOfBandChangesAreVisibleThroughTheApi() throws Exception {
    String id = sim.langsmith().createOutOfBand(SimClient.TENANT, "made-in-ui", "img:ui", Instant.now());
    assertEquals(1, client.call("GET", "/v2/deployments?name_contains=made-in-ui", null).body().path("resources").size());
    sim.langsmith().editOutOfBand(id, sc -> sc.put("custom_url", "https://ui.example.com"),
        rc -> rc.put("image_uri", "img:hotfix"), true);
    JsonNode d = client.call("GET", "/v2/deployments/" + id, null).body();
    assertEquals("img:hotfix", d.at("/source_revision_config/image_uri").asText());
    assertEquals(2, sim.langsmith().revisions(id).size());
    sim.langsmith().deleteOutOfBand(id);
    assertEquals("AWAITING_DELETE", client.call("GET", "/v2/deployments/" + id, null).body().path("status").asText());
    assertTrue(sim.requests().all().stream().noneMatch(r -> r.toString().contains("t0k3n-value")),
        "log entries do not print bodies");
  }

  @Test
  void contractCheckCatchesTrafficThatBreaksTheSpec() {
    RecordedRequest bad = new RecordedRequest(Instant.now(), Simulator.PROVIDER_LANGSMITH,
        SimOperation.CREATE_DEPLOYMENT, "POST", "/v2/deployments", null,
        java.util.Map.of("x-api-key", "***", "x-tenant-id", SimClient.TENANT, "content-type", "application/json"),
        "{\"name\":\"x\",\"source\":\"bogus\"}", 201, java.util.Map.of(), "{\"id\":\"nope\"}", false);
    List<String> problems = OpenApiContract.violations(List.of(bad));
    assertEquals(2, problems.size(), problems.toString());
  }
}

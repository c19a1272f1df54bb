package io.agentdeploy.operator.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.simulator.SimClient.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's Agentex v5 deployments API over HTTP, traffic validated against its OpenAPI file. */
class SimulatorAgentexTest {
  private Simulator sim;
  private SimClient client;

  @BeforeEach
  void start() {
    sim = Simulator.start(SimulatorConfig.defaults()
        .withTimings(Duration.ofMillis(100), Duration.ZERO, Duration.ZERO)
        .withFailureRules(List.of(FailureRule.agentexImageTag("^broken$"))));
    client = new SimClient(sim.baseUrl());
    client.apiKey = null;
    client.tenant = null;
  }

  @AfterEach
  void contract() {
    try {
      OpenApiContract.assertConforms(sim.requests().all(), true);
    } finally {
      sim.close();
    }
  }

  private Answer call(String method, String path, String body) throws Exception {
    client.apiKey = "sgp-key";
    return client.call(method, path, body);
  }

  static String deployBody(String agent, String tag, String extra) {
    return """
        {"manifest_file":"agent:\\n  name: %s\\n","environment_config":"env: prod\\n",
         "image_name":"registry.example.com/%s","image_tag":"%s"%s}""".formatted(agent, agent, tag, extra);
  }

  private String status(String id) throws Exception {
    return call("GET", "/v5/agentex/deployments/" + id, null).body().path("status").asText();
  }

  @Test
  void deploysProgressAndANewerProductionDeploySupersedesTheOlderOne() throws Exception {
    JsonNode first = call("POST", "/v5/agentex/deployments", deployBody("helper", "1", "")).body();
    assertEquals("PENDING", first.path("status").asText());
    String id1 = first.path("id").asText();
    await().atMost(Duration.ofSeconds(5)).until(() -> "COMPLETED".equals(status(id1)));
    JsonNode done = call("GET", "/v5/agentex/deployments/" + id1, null).body();
    assertEquals("helper", done.path("helm_release_name").asText());
    assertEquals("Started", done.at("/deploy_events/1/reason").asText());
    String id2 = call("POST", "/v5/agentex/deployments", deployBody("helper", "2", "")).body().path("id").asText();
    assertEquals("COMPLETED", status(id1), "superseded only once the new one completes");
    await().atMost(Duration.ofSeconds(5)).until(() -> "COMPLETED".equals(status(id2)));
    assertEquals("SUPERSEDED", status(id1));
    Answer refused = call("DELETE", "/v5/agentex/deployments/" + id1, null);
    assertEquals(400, refused.status(), "terminal records cannot be deleted");
    JsonNode page = call("GET", "/v5/agentex/deployments?limit=1", null).body();
    assertEquals(id2, page.at("/items/0/id").asText(), "newest first");
    assertTrue(page.path("has_more").asBoolean());
    JsonNode next = call("GET", "/v5/agentex/deployments?limit=1&starting_after=" + id2, null).body();
    assertEquals(id1, next.at("/items/0/id").asText());
    assertEquals(0, call("GET", "/v5/agentex/deployments?agent_name=helper", null).body().path("items").size(),
        "agent_name is resolved through builds: image deploys are not found by it");
  }

  @Test
  void failedDeployCarriesAWarningEventAndDeleteIsSoft() throws Exception {
    String id = call("POST", "/v5/agentex/deployments", deployBody("broken-agent", "broken", "")).body()
        .path("id").asText();
    await().atMost(Duration.ofSeconds(5)).until(() -> "FAILED".equals(status(id)));
    JsonNode failed = call("GET", "/v5/agentex/deployments/" + id, null).body();
    assertEquals("Warning", failed.at("/deploy_events/1/type").asText());
    assertEquals("BackOff", failed.at("/deploy_events/1/reason").asText());
    Answer deleted = call("DELETE", "/v5/agentex/deployments/" + id, null);
    assertEquals(200, deleted.status());
    assertEquals("DELETED", deleted.body().path("status").asText());
    assertEquals("DELETED", status(id), "the record stays (soft delete)");
    JsonNode logs = call("GET", "/v5/agentex/deployments/" + id + "/logs?limit=100", null).body();
    assertEquals(2, logs.path("lines").size());
  }

  @Test
  void previewsExpireAndPreviewFieldsAreRefusedOnProduction() throws Exception {
    String expires = Instant.now().plusMillis(600).toString();
    Answer preview = call("POST", "/v5/agentex/deployments",
        deployBody("pr-agent", "1", ",\"preview\":true,\"preview_label\":\"PR 42\",\"expires_at\":\"" + expires + "\""));
    assertEquals(200, preview.status());
    assertEquals("pr-42", preview.body().path("preview_label").asText());
    String id = preview.body().path("id").asText();
    await().atMost(Duration.ofSeconds(5)).until(() -> "COMPLETED".equals(status(id)));
    assertTrue(call("GET", "/v5/agentex/deployments/" + id, null).body().path("helm_release_name").asText()
        .startsWith("pr-agent-"), "a preview release has a unique suffix");
    await().atMost(Duration.ofSeconds(5)).until(() -> "DELETED".equals(status(id)));
    assertEquals(400, call("POST", "/v5/agentex/deployments",
        deployBody("prod-agent", "1", ",\"preview_label\":\"x\"")).status());
    assertEquals(422, call("POST", "/v5/agentex/deployments", "{\"manifest_file\":\"a: b\"}").status());
  }

  @Test
  void authAndAccountsAreSeparated() throws Exception {
    assertEquals(401, client.call("GET", "/v5/agentex/deployments", null).status());
    String id = call("POST", "/v5/agentex/deployments", deployBody("acct-agent", "1", "")).body().path("id").asText();
    assertEquals(200, call("GET", "/v5/agentex/deployments/" + id, null).status());
    assertEquals(404, call("GET", "/v5/agentex/deployments/unknown-id", null).status());
    sim.agentex().deleteOutOfBand(id);
    assertEquals("DELETED", status(id));
    assertTrue(sim.requests().all().stream().allMatch(r -> !"sgp-key".equals(r.headers().get("x-api-key"))));
  }
}

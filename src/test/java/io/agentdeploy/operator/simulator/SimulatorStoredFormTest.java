package io.agentdeploy.operator.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.simulator.SimClient.Answer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test-only stored forms: what the simulated control plane stores after a create and a PATCH,
 * and every exchange still conforming to shared/api.
 */
class SimulatorStoredFormTest {
  private Simulator sim;
  private SimClient client;

  @BeforeEach
  void setUp() {
    sim = Simulator.start(SimulatorConfig.defaults().withTimings(Duration.ofMillis(50), Duration.ofMillis(50),
        Duration.ofMillis(300)));
    client = new SimClient(sim.baseUrl());
  }

  @AfterEach
  void contract() {
    try {
      OpenApiContract.assertConforms(sim.requests().all());
    } finally {
      sim.close();
    }
  }

  private JsonNode create(String body) throws Exception {
    Answer a = client.call("POST", "/v2/deployments", body);
    assertEquals(201, a.status(), String.valueOf(a.body()));
    return a.body();
  }

  @Test
  void asSentByDefault() throws Exception {
    JsonNode d = create(SimClient.dockerBody("as-sent", "agent"));
    assertEquals("agent", d.at("/source_revision_config/image_uri").asText());
    assertEquals(1, d.path("secrets").size());
  }

  @Test
  void canonicalStoresEquivalentSpellingsAndAddsDefaultsOnce() throws Exception {
    sim.langsmith().storeAs(StoredForm.CANONICAL);
    JsonNode d = create("""
        {"name":"canon","source":"external_docker","source_config":{"custom_url":"https://Agent.Example.com",
         "resource_spec":{"cpu":0.25,"volumes":[{"name":"data","emptyDir":{}}],
         "sidecars":[{"name":"proxy","image":"envoy"}]}},
         "source_revision_config":{"image_uri":"team/agent"},"secrets":[{"name":"TOKEN","value":"t"}]}""");
    assertEquals("https://agent.example.com/", d.at("/source_config/custom_url").asText());
    assertEquals(0.3, d.at("/source_config/resource_spec/cpu").asDouble());
    assertEquals("docker.io/team/agent:latest", d.at("/source_revision_config/image_uri").asText());
    assertEquals("docker.io/library/envoy:latest", d.at("/source_config/resource_spec/sidecars/0/image").asText());
    assertEquals("IfNotPresent", d.at("/source_config/resource_spec/sidecars/0/imagePullPolicy").asText());
    assertEquals("langgraph-tmp", d.at("/source_config/resource_spec/volumes/1/name").asText());
    assertEquals("LANGGRAPH_RUNTIME", d.at("/secrets/1/name").asText());
    String id = d.path("id").asText();
    Answer patched = client.call("PATCH", "/v2/deployments/" + id, """
        {"source_config":{"custom_url":"https://Other.Example.com/api"}}""");
    assertEquals(200, patched.status(), String.valueOf(patched.body()));
    assertEquals("https://other.example.com/api", patched.body().at("/source_config/custom_url").asText());
    assertEquals(2, patched.body().at("/source_config/resource_spec/volumes").size(), "the default is added once");
    assertEquals(2, patched.body().path("secrets").size());
  }

  @Test
  void canonicalGitHubRefsAndPaths() throws Exception {
    sim.langsmith().storeAs(StoredForm.CANONICAL);
    JsonNode d = create(SimClient.githubBody("canon-gh", "main"));
    assertEquals("refs/heads/main", d.at("/source_revision_config/repo_ref").asText());
    assertEquals("./langgraph.json", d.at("/source_revision_config/langgraph_config_path").asText());
  }

  @Test
  void mirroredRewritesEveryImageItStores() throws Exception {
    sim.langsmith().storeAs(StoredForm.MIRRORED);
    JsonNode d = create(SimClient.dockerBody("mirrored", "registry.example.com/agent:1"));
    assertEquals("mirror.example.com/agent:1", d.at("/source_revision_config/image_uri").asText());
    Answer patched = client.call("PATCH", "/v2/deployments/" + d.path("id").asText(), """
        {"source_revision_config":{"image_uri":"registry.example.com/agent:2"}}""");
    assertEquals(200, patched.status(), String.valueOf(patched.body()));
    assertEquals("mirror.example.com/agent:2", patched.body().at("/source_revision_config/image_uri").asText());
  }
}

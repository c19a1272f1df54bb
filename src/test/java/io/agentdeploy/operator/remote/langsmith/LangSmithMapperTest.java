package io.agentdeploy.operator.remote.langsmith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.api.DeploymentType;
import io.agentdeploy.operator.api.LangSmithResourceSpec;
import io.agentdeploy.operator.api.LangSmithRevisionConfig;
import io.agentdeploy.operator.api.LangSmithSource;
import io.agentdeploy.operator.api.LangSmithSourceConfig;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.api.ListenerConfig;
import io.agentdeploy.operator.remote.StateHasher;
import io.agentdeploy.operator.remote.TestHashers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LangSmithMapperTest {
  private static final StateHasher KEY = TestHashers.ZERO;

  private static LangSmithSpec dockerSpec() {
    LangSmithSpec spec = new LangSmithSpec();
    spec.setName("agent");
    spec.setSource(LangSmithSource.EXTERNAL_DOCKER);
    LangSmithSourceConfig sc = new LangSmithSourceConfig();
    sc.setListenerId("3f1c");
    ListenerConfig lc = new ListenerConfig();
    lc.setK8sNamespace("agents");
    sc.setListenerConfig(lc);
    LangSmithResourceSpec rs = new LangSmithResourceSpec();
    rs.setCpu(0.5);
    rs.setMemoryLimitMb(2048);
    sc.setResourceSpec(rs);
    spec.setSourceConfig(sc);
    LangSmithRevisionConfig rc = new LangSmithRevisionConfig();
    rc.setImageUri("registry.example.com/agent:1");
    spec.setRevisionConfig(rc);
    return spec;
  }

  @Test
  void createBodyUsesWireNamesAndAlwaysCarriesSecrets() {
    LangSmithDesired d = LangSmithMapper.toDesired(dockerSpec(), Map.of(), Set.of(), KEY);
    JsonNode body = LangSmithMapper.createBody(d);
    assertEquals("external_docker", body.path("source").asText());
    assertEquals("agents", body.at("/source_config/listener_config/k8s_namespace").asText());
    assertEquals(2048, body.at("/source_config/resource_spec/memory_limit_mb").asInt());
    assertEquals("registry.example.com/agent:1", body.at("/source_revision_config/image_uri").asText());
    assertTrue(body.path("secrets").isArray() && body.path("secrets").isEmpty());
  }

  @Test
  void patchBodyLeavesImmutableFieldsOut() {
    JsonNode patch = LangSmithMapper.patchBody(LangSmithMapper.toDesired(dockerSpec(), Map.of(), Set.of(), KEY));
    assertFalse(patch.path("source_config").has("listener_id"));
    assertFalse(patch.path("source_config").has("listener_config"));
    assertTrue(patch.path("source_config").has("resource_spec"));
    assertFalse(patch.has("name"));
    assertFalse(patch.has("source"));
  }

  @Test
  void hashIgnoresEnvOrderButSeesEveryValue() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("A", "1");
    ab.put("B", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("B", "2");
    ba.put("A", "1");
    String h1 = LangSmithMapper.toDesired(dockerSpec(), ab, Set.of("B"), KEY).hash();
    assertEquals(h1, LangSmithMapper.toDesired(dockerSpec(), ba, Set.of("B"), KEY).hash());
    assertNotEquals(h1,
        LangSmithMapper.toDesired(dockerSpec(), Map.of("A", "1", "B", "3"), Set.of("B"), KEY).hash());
    assertTrue(h1.startsWith("hmac-sha256:"));
  }

  @Test
  void onlySecretSourcedValuesAreSensitiveAndToStringHidesThem() {
    LangSmithDesired d = LangSmithMapper.toDesired(dockerSpec(), Map.of("PLAIN", "visible", "TOKEN", "s3cr3t-token"),
        Set.of("TOKEN"), KEY);
    assertEquals(Set.of("s3cr3t-token"), d.sensitiveValues());
    assertFalse(d.toString().contains("s3cr3t-token"));
    assertFalse(d.secrets().toString().contains("s3cr3t-token"));
  }

  @Test
  void driftComparesOnlyWhatTheSpecSetsAndSecretNamesNotValues() throws Exception {
    LangSmithSpec spec = dockerSpec();
    LangSmithDesired d = LangSmithMapper.toDesired(spec, Map.of("TOKEN", "x"), Set.of("TOKEN"), KEY);
    JsonNode same = LangSmithMapper.WIRE.readTree("""
        {"source_config":{"resource_spec":{"cpu":0.50,"memory_limit_mb":2048,"cpu_limit":1.0},"custom_url":"https://x"},
         "source_revision_config":{"image_uri":"registry.example.com/agent:1","repo_commit_sha":null},
         "secrets":[{"name":"TOKEN","value":"masked"}]}""");
    assertEquals(List.of(), LangSmithDrift.between(d, same).fields(), "defaults and masked values are not drift");
    JsonNode drifted = LangSmithMapper.WIRE.readTree("""
        {"source_config":{"resource_spec":{"cpu":1,"memory_limit_mb":2048}},
         "source_revision_config":{"image_uri":"registry.example.com/agent:hotfix"},
         "secrets":[{"name":"EXTRA","value":"y"}]}""");
    assertEquals(List.of("source_config.resource_spec", "source_revision_config.image_uri", "secrets"),
        LangSmithDrift.between(d, drifted).fields());
  }

  @Test
  void revisionStatusesMapToPhases() {
    assertEquals(io.agentdeploy.operator.remote.RolloutPhase.SUCCEEDED, LangSmithClient.phaseOf("DEPLOYED"));
    assertEquals(io.agentdeploy.operator.remote.RolloutPhase.FAILED, LangSmithClient.phaseOf("BUILD_FAILED"));
    assertEquals(io.agentdeploy.operator.remote.RolloutPhase.FAILED, LangSmithClient.phaseOf("INTERRUPTED"));
    assertEquals(io.agentdeploy.operator.remote.RolloutPhase.IN_PROGRESS, LangSmithClient.phaseOf("AWAITING_BUILD"));
    assertEquals(io.agentdeploy.operator.remote.RolloutPhase.UNKNOWN, LangSmithClient.phaseOf("SOMETHING_NEW"));
  }

  @Test
  void theKeyedHashesAreMadeFromTheBytesOlderVersionsHashedPlainly() {
    LangSmithSpec spec = new LangSmithSpec();
    spec.setName("agent");
    spec.setSource(LangSmithSource.EXTERNAL_DOCKER);
    LangSmithSourceConfig sc = new LangSmithSourceConfig();
    LangSmithResourceSpec rs = new LangSmithResourceSpec();
    rs.setCpu(0.5);
    rs.setMemoryLimitMb(2048);
    sc.setResourceSpec(rs);
    spec.setSourceConfig(sc);
    LangSmithRevisionConfig rc = new LangSmithRevisionConfig();
    rc.setImageUri("registry.example.com/agent:1");
    spec.setRevisionConfig(rc);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TOKEN", "pin-1234");
    env.put("LOG_LEVEL", "info");
    LangSmithDesired d = LangSmithMapper.toDesired(spec, env, Set.of("TOKEN"), KEY);
    // What the operator wrote before the keyed hash, for this very spec (migration verifies against it).
    assertEquals("sha256:e4616001b19c800a8651a46aac47a202549c6b5018af835304dd8dbd039961a0",
        StateHasher.legacyHash(d.canonicalState()));
    assertEquals("sha256:1126447ee587b3573a39de7228b89b8cdfe1483f265082bca37d5f6a0e9c8e61",
        StateHasher.legacyHash(d.canonicalDeploymentState()));
    assertEquals(KEY.hash(d.canonicalState()), d.hash());
    assertEquals(KEY.hash(d.canonicalDeploymentState()), d.deploymentHash());
    LangSmithDesired otherKey = LangSmithMapper.toDesired(spec, env, Set.of("TOKEN"), TestHashers.ONES);
    assertNotEquals(d.hash(), otherKey.hash());
    assertNotEquals(d.deploymentHash(), otherKey.deploymentHash());
    assertFalse(d.toString().contains("pin-1234"));
  }
}

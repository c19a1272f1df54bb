package io.agentdeploy.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evaluates every CEL rule of the checked-in CRDs with cel-java on accepted and rejected examples,
 * since the mock API server does not run them. A rule added to the model without a rejected
 * example here fails {@link #everyRuleIsExercised()}.
 */
class CelRulesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static CrdSchema agd;
  private static CrdSchema controlPlane;
  private static CrdSchema clusterControlPlane;
  private static final Set<String> TRIGGERED = new HashSet<>();

  private static final String DOCKER = """
      controlPlaneRef: {name: cp}
      langsmith:
        name: agent-a
        source: external_docker
        revisionConfig: {imageUri: "registry.example.com/agent:1.0"}
      """;
  private static final String GITHUB = """
      controlPlaneRef: {name: cp}
      langsmith:
        name: agent-b
        source: github
        sourceConfig: {repoUrl: "https://github.com/acme/agent", integrationId: "9a1b", deploymentType: dev}
        revisionConfig: {repoRef: main, langgraphConfigPath: langgraph.json}
      """;

  private static final String AGENTEX = """
      controlPlaneRef: {name: cp}
      agentex:
        name: helper
        image: {name: registry.example.com/helper, tag: "1"}
        manifest: {inline: "agent:\\n  name: helper\\n"}
        environmentConfig: {configMapKeyRef: {name: helper-env, key: env.yaml}}
      """;

  @BeforeAll
  static void load() throws Exception {
    agd = CrdSchema.load(Path.of("crds/agentdeployments.agentdeploy.io-v1.yml"));
    controlPlane = CrdSchema.load(Path.of("crds/controlplanes.agentdeploy.io-v1.yml"));
    clusterControlPlane = CrdSchema.load(Path.of("crds/clustercontrolplanes.agentdeploy.io-v1.yml"));
  }

  private static JsonNode spec(String yaml) throws Exception {
    return YAML.createObjectNode().set("spec", YAML.readTree(yaml));
  }

  private static JsonNode edit(String yaml, String pointer, Object value) throws Exception {
    JsonNode doc = spec(yaml);
    String parent = pointer.substring(0, pointer.lastIndexOf('/'));
    String field = pointer.substring(pointer.lastIndexOf('/') + 1);
    var node = (com.fasterxml.jackson.databind.node.ObjectNode) doc.at(parent);
    if (value == null) {
      node.remove(field);
    } else {
      node.set(field, YAML.valueToTree(value));
    }
    return doc;
  }

  private static void accepted(CrdSchema schema, JsonNode object, JsonNode old) {
    List<String> errors = schema.validate(object, old);
    assertEquals(List.of(), errors, "expected no violations for " + object);
  }

  private static void rejected(CrdSchema schema, JsonNode object, JsonNode old, String expectedMessage) {
    List<String> errors = schema.validate(object, old);
    assertTrue(errors.stream().anyMatch(e -> e.contains(expectedMessage)),
        "expected a violation containing '" + expectedMessage + "' but got " + errors);
    TRIGGERED.add(expectedMessage);
  }

  @Test
  void validResourcesPassOnCreateAndOnMutableEdits() throws Exception {
    accepted(agd, spec(DOCKER), null);
    accepted(agd, spec(GITHUB), null);
    accepted(agd, edit(DOCKER, "/spec/langsmith/revisionConfig/imageUri", "registry.example.com/agent:2.0"),
        spec(DOCKER));
    accepted(agd, edit(GITHUB, "/spec/langsmith/revisionConfig/repoRef", "release"), spec(GITHUB));
    accepted(agd, edit(DOCKER, "/spec/deletionPolicy", "Orphan"), spec(DOCKER));
    accepted(agd, edit(DOCKER, "/spec/langsmith/env", List.of(java.util.Map.of("name", "A", "value", "1"),
        java.util.Map.of("name", "B", "valueFrom", java.util.Map.of("secretKeyRef",
            java.util.Map.of("name", "s", "key", "k"))))), spec(DOCKER));
    accepted(agd, edit(GITHUB, "/spec/langsmith/sourceConfig/buildOnPush", false), spec(GITHUB));
    JsonNode tag = edit(GITHUB, "/spec/langsmith/revisionConfig/repoRef", "refs/tags/v1.0.0");
    ((com.fasterxml.jackson.databind.node.ObjectNode) tag.at("/spec/langsmith/sourceConfig")).put("buildOnPush", false);
    accepted(agd, tag, null);
  }

  @Test
  void createRulesRejectInvalidCombinations() throws Exception {
    rejected(agd, edit(DOCKER, "/spec/langsmith", null), null, "exactly one provider block is required");
    rejected(agd, edit(DOCKER, "/spec/langsmith/env", List.of(java.util.Map.of("name", "A", "value", "1",
        "valueFrom", java.util.Map.of("secretKeyRef", java.util.Map.of("name", "s", "key", "k"))))), null,
        "set exactly one of value and valueFrom");
    rejected(agd, edit(DOCKER, "/spec/langsmith/revisionConfig/imageUri", null), null,
        "revisionConfig.imageUri is required when source is external_docker");
    rejected(agd, edit(GITHUB, "/spec/langsmith/revisionConfig/langgraphConfigPath", null), null,
        "revisionConfig.langgraphConfigPath is required when source is github");
    rejected(agd, edit(DOCKER, "/spec/langsmith/revisionConfig/langgraphConfigPath", "langgraph.json"), null,
        "revisionConfig.langgraphConfigPath must not be set when source is external_docker");
    rejected(agd, edit(DOCKER, "/spec/langsmith/sourceConfig", java.util.Map.of("repoUrl", "https://x")), null,
        "apply only when source is github");
    rejected(agd, edit(GITHUB, "/spec/langsmith/sourceConfig/customUrl", "https://agent.example.com"), null,
        "apply only when source is external_docker");
    rejected(agd, edit(GITHUB, "/spec/langsmith/revisionConfig/repoRef", "refs/tags/v1.0.0"), null,
        "requires sourceConfig.buildOnPush: false");
  }

  @Test
  void immutableFieldsCannotChangeBeAddedOrRemoved() throws Exception {
    rejected(agd, edit(DOCKER, "/spec/langsmith/name", "agent-renamed"), spec(DOCKER), "langsmith.name is immutable");
    rejected(agd, edit(GITHUB, "/spec/langsmith/source", "external_docker"), spec(GITHUB),
        "langsmith.source is immutable");
    rejected(agd, edit(DOCKER, "/spec/controlPlaneRef/name", "other"), spec(DOCKER), "controlPlaneRef is immutable");
    // Writing out the default kind is the same reference; another kind is a move.
    accepted(agd, edit(DOCKER, "/spec/controlPlaneRef/kind", "ControlPlane"), spec(DOCKER));
    accepted(agd, spec(DOCKER), edit(DOCKER, "/spec/controlPlaneRef/kind", "ControlPlane"));
    rejected(agd, edit(DOCKER, "/spec/controlPlaneRef/kind", "ClusterControlPlane"), spec(DOCKER),
        "controlPlaneRef is immutable");
    rejected(agd, spec(DOCKER), edit(DOCKER, "/spec/controlPlaneRef/kind", "ClusterControlPlane"),
        "controlPlaneRef is immutable");
    assertTrue(agd.validate(edit(DOCKER, "/spec/controlPlaneRef/kind", "SomeOtherKind")).stream()
        .anyMatch(e -> e.contains("SomeOtherKind")), "an unknown kind is refused by the schema");
    rejected(agd, edit(DOCKER, "/spec/langsmith", null), spec(DOCKER), "the provider block cannot change kind");
    rejected(agd, edit(GITHUB, "/spec/langsmith/sourceConfig/integrationId", "other"), spec(GITHUB),
        "sourceConfig.integrationId is immutable");
    rejected(agd, edit(GITHUB, "/spec/langsmith/sourceConfig/repoUrl", null), spec(GITHUB),
        "sourceConfig.repoUrl is immutable");
    rejected(agd, edit(GITHUB, "/spec/langsmith/sourceConfig/repoUrl", "https://github.com/acme/other"), spec(GITHUB),
        "sourceConfig.repoUrl is immutable");
    rejected(agd, edit(GITHUB, "/spec/langsmith/sourceConfig/deploymentType", "prod"), spec(GITHUB),
        "sourceConfig.deploymentType is immutable");
    rejected(agd, edit(DOCKER, "/spec/langsmith/sourceConfig", java.util.Map.of("listenerId", "abc")), spec(DOCKER),
        "sourceConfig.listenerId is immutable");
    JsonNode withListener = edit(DOCKER, "/spec/langsmith/sourceConfig",
        java.util.Map.of("listenerConfig", java.util.Map.of("k8sNamespace", "agents")));
    JsonNode movedListener = edit(DOCKER, "/spec/langsmith/sourceConfig",
        java.util.Map.of("listenerConfig", java.util.Map.of("k8sNamespace", "other")));
    rejected(agd, movedListener, withListener, "sourceConfig.listenerConfig is immutable");
    rejected(agd, spec(DOCKER), withListener, "sourceConfig.listenerConfig is immutable");
  }

  @Test
  void agentexRules() throws Exception {
    accepted(agd, spec(AGENTEX), null);
    accepted(agd, edit(AGENTEX, "/spec/agentex/image/tag", "2"), spec(AGENTEX));
    rejected(agd, edit(AGENTEX, "/spec/agentex/name", "renamed"), spec(AGENTEX), "agentex.name is immutable");
    rejected(agd, edit(AGENTEX, "/spec/agentex/buildId", "b-1"), null, "set exactly one of buildId and image");
    rejected(agd, edit(AGENTEX, "/spec/agentex/manifest/configMapKeyRef", Map.of("name", "m", "key", "k")), null,
        "set exactly one of inline and configMapKeyRef");
    JsonNode both = spec(AGENTEX);
    ((com.fasterxml.jackson.databind.node.ObjectNode) both.get("spec")).set("langsmith",
        spec(DOCKER).at("/spec/langsmith"));
    rejected(agd, both, null, "exactly one provider block is required");
    rejected(agd, spec(AGENTEX), spec(DOCKER), "the provider block cannot change kind");
  }

  @Test
  void controlPlaneProviderIsImmutable() throws Exception {
    String cp = """
        provider: langsmith
        baseUrl: https://api.host.langchain.com
        apiKeySecretRef: {name: key, key: apiKey}
        """;
    accepted(controlPlane, spec(cp), null);
    accepted(controlPlane, edit(cp, "/spec/tenantId", "t-1"), spec(cp));
    rejected(controlPlane, edit(cp, "/spec/provider", "agentex"), spec(cp), "provider is immutable");
    assertTrue(controlPlane.validate(edit(cp, "/spec/baseUrl", "ftp://nope")).stream()
        .anyMatch(e -> e.contains("does not match")), "baseUrl pattern");
  }

  @Test
  void aCaBundleNamesExactlyOneSource() throws Exception {
    String cp = """
        provider: langsmith
        baseUrl: https://langsmith.corp.example/api-host
        apiKeySecretRef: {name: key, key: apiKey}
        caBundle: {configMapKeyRef: {name: corp-ca, key: ca.crt}}
        """;
    accepted(controlPlane, spec(cp), null);
    accepted(controlPlane, edit(cp, "/spec/caBundle", Map.of("secretKeyRef", Map.of("name", "ca", "key", "ca.crt"))),
        spec(cp));
    rejected(controlPlane, edit(cp, "/spec/caBundle", Map.of()), null, "set exactly one of configMapKeyRef and secretKeyRef");
    rejected(controlPlane, edit(cp, "/spec/caBundle/secretKeyRef", Map.of("name", "ca", "key", "ca.crt")), null,
        "set exactly one of configMapKeyRef and secretKeyRef");
    rejected(clusterControlPlane, edit(cp + "allowedNamespaces: {names: [a]}\n", "/spec/caBundle", Map.of()), null,
        "set exactly one of configMapKeyRef and secretKeyRef");
  }

  @Test
  void clusterControlPlaneProviderIsImmutableAndItNeedsAnAllowList() throws Exception {
    String cp = """
        provider: langsmith
        baseUrl: https://api.host.langchain.com
        apiKeySecretRef: {name: key, key: apiKey}
        allowedNamespaces: {names: [team-a], selector: {matchLabels: {tier: gold}}}
        """;
    accepted(clusterControlPlane, spec(cp), null);
    accepted(clusterControlPlane, edit(cp, "/spec/allowedNamespaces/names", List.of("team-a", "team-b")), spec(cp));
    rejected(clusterControlPlane, edit(cp, "/spec/provider", "agentex"), spec(cp), "provider is immutable");
    assertTrue(clusterControlPlane.validate(edit(cp, "/spec/allowedNamespaces", null)).stream()
        .anyMatch(e -> e.contains("allowedNamespaces")), "the allow-list is required");
  }

  @Test
  void everyRuleIsExercised() throws Exception {
    // Runs the rejection tests first so the set is complete regardless of test order.
    createRulesRejectInvalidCombinations();
    immutableFieldsCannotChangeBeAddedOrRemoved();
    controlPlaneProviderIsImmutable();
    agentexRules();
    clusterControlPlaneProviderIsImmutableAndItNeedsAnAllowList();
    aCaBundleNamesExactlyOneSource();
    List<CrdSchema.Rule> all = new ArrayList<>(agd.rules());
    all.addAll(controlPlane.rules());
    all.addAll(clusterControlPlane.rules());
    Set<String> untested = all.stream().map(CrdSchema.Rule::message)
        .filter(m -> TRIGGERED.stream().noneMatch(m::contains)).collect(Collectors.toSet());
    assertEquals(Set.of(), untested, "CEL rules without a rejected example");
    assertTrue(all.size() >= 17, "expected the CRDs to carry their CEL rules, found " + all.size());
  }
}

package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.api.Provider.AGENTEX;
import static io.agentdeploy.operator.api.Provider.LANGSMITH;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.lifecycle.BadInput.Category;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The CRD rows of the bad-input table: what the API server refuses before the operator sees it. */
final class CrdRows {
  static final String AGD = "agentdeployments.agentdeploy.io-v1.yml";
  static final String CP = "controlplanes.agentdeploy.io-v1.yml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final String DOCKER = """
      controlPlaneRef: {name: cp}
      langsmith:
        name: agent-a
        source: external_docker
        revisionConfig: {imageUri: "registry.example.com/agent:1.0"}
        env: [{name: LOG_LEVEL, value: info}]
      """;
  static final String GITHUB = """
      controlPlaneRef: {name: cp}
      langsmith:
        name: agent-b
        source: github
        sourceConfig: {repoUrl: "https://github.com/acme/agent", integrationId: "9a1b", deploymentType: dev}
        revisionConfig: {repoRef: main, langgraphConfigPath: langgraph.json}
      """;
  static final String AGENTEX_SPEC = """
      controlPlaneRef: {name: cp}
      agentex:
        name: helper
        image: {name: registry.example.com/helper, tag: "1"}
        manifest: {inline: "agent:\\n  name: helper\\n"}
        environmentConfig: {configMapKeyRef: {name: helper-env, key: env.yaml}}
      """;
  static final String LANGSMITH_CP = """
      provider: langsmith
      baseUrl: https://api.host.langchain.com
      apiKeySecretRef: {name: key, key: apiKey}
      tenantId: 3d6f1a2b-4c5e-4f7a-8b9c-0d1e2f3a4b5c
      """;
  static final String AGENTEX_CP = """
      provider: agentex
      baseUrl: https://api.egp.scale.com
      apiKeySecretRef: {name: key, key: apiKey}
      accountId: acct-1
      """;

  /** The valid objects every row starts from, with their CRD: each must pass as it is. */
  static final Map<String, String> BASES = Map.of(DOCKER, AGD, GITHUB, AGD, AGENTEX_SPEC, AGD, LANGSMITH_CP, CP,
      AGENTEX_CP, CP);

  private CrdRows() {}

  static List<CrdRow> all() {
    List<CrdRow> rows = new ArrayList<>();
    Provider l = LANGSMITH;
    Provider a = AGENTEX;
    // Base URL syntax.
    rows.add(create(Category.BASE_URL, l, "baseUrl with scheme ftp", CP, LANGSMITH_CP, "/baseUrl",
        "ftp://api.example.com", "does not match"));
    rows.add(create(Category.BASE_URL, l, "baseUrl with a space", CP, LANGSMITH_CP, "/baseUrl",
        "https://api example.com", "does not match"));
    rows.add(create(Category.BASE_URL, a, "baseUrl empty", CP, AGENTEX_CP, "/baseUrl", "", "shorter than 1"));
    rows.add(create(Category.BASE_URL, a, "baseUrl of 2,100 characters", CP, AGENTEX_CP, "/baseUrl",
        "https://api.egp.scale.com/" + "a".repeat(2100), "longer than 2048"));
    // Secret, ConfigMap and ControlPlane references.
    rows.add(create(Category.REFERENCES, l, "env valueFrom without secretKeyRef", AGD, DOCKER, "/langsmith/env",
        List.of(Map.of("name", "TOKEN", "valueFrom", Map.of())), "secretKeyRef: Required value"));
    rows.add(create(Category.REFERENCES, l, "apiKeySecretRef without key", CP, LANGSMITH_CP, "/apiKeySecretRef",
        Map.of("name", "key"), "apiKeySecretRef.key: Required value"));
    rows.add(create(Category.REFERENCES, l, "controlPlaneRef name empty", AGD, DOCKER, "/controlPlaneRef/name", "",
        "shorter than 1"));
    rows.add(create(Category.REFERENCES, a, "manifest both inline and configMapKeyRef", AGD, AGENTEX_SPEC,
        "/agentex/manifest", Map.of("inline", "agent: {name: helper}", "configMapKeyRef",
            Map.of("name", "m", "key", "k")), "exactly one"));
    rows.add(create(Category.REFERENCES, a, "configMapKeyRef without key", AGD, AGENTEX_SPEC,
        "/agentex/environmentConfig/configMapKeyRef", Map.of("name", "helper-env"), "key: Required value"));
    // Env names and values.
    rows.add(create(Category.ENV, l, "env name empty", AGD, DOCKER, "/langsmith/env",
        List.of(Map.of("name", "", "value", "1")), "shorter than 1"));
    rows.add(create(Category.ENV, l, "env with value and valueFrom", AGD, DOCKER, "/langsmith/env",
        List.of(Map.of("name", "A", "value", "1", "valueFrom", Map.of("secretKeyRef", Map.of("name", "s", "key",
            "k")))), "set exactly one of value and valueFrom"));
    rows.add(create(Category.ENV, l, "env name of 256 characters", AGD, DOCKER, "/langsmith/env",
        List.of(Map.of("name", "A".repeat(256), "value", "1")), "longer than 255"));
    rows.add(create(Category.ENV, a, "environmentConfig missing", AGD, AGENTEX_SPEC, "/agentex/environmentConfig",
        null, "environmentConfig: Required value"));
    rows.add(create(Category.ENV, a, "environmentConfig with neither inline nor configMapKeyRef", AGD, AGENTEX_SPEC,
        "/agentex/environmentConfig", Map.of(), "exactly one"));
    // Manifests and source config.
    rows.add(create(Category.MANIFESTS, l, "github source without langgraphConfigPath", AGD, GITHUB,
        "/langsmith/revisionConfig/langgraphConfigPath", null, "langgraphConfigPath is required"));
    rows.add(create(Category.MANIFESTS, l, "external_docker without imageUri", AGD, DOCKER,
        "/langsmith/revisionConfig/imageUri", null, "imageUri is required"));
    rows.add(create(Category.MANIFESTS, l, "customUrl on a github source", AGD, GITHUB,
        "/langsmith/sourceConfig/customUrl", "https://agent.example.com", "apply only when source is external_docker"));
    rows.add(create(Category.MANIFESTS, a, "manifest with neither inline nor configMapKeyRef", AGD, AGENTEX_SPEC,
        "/agentex/manifest", Map.of(), "exactly one"));
    rows.add(create(Category.MANIFESTS, a, "both buildId and image", AGD, AGENTEX_SPEC, "/agentex/buildId", "b-1",
        "exactly one"));
    // Immutable fields (updates from the valid base).
    rows.add(update(Category.IMMUTABLE, l, "langsmith.name changed", AGD, DOCKER, "/langsmith/name", "agent-z",
        "langsmith.name is immutable"));
    rows.add(update(Category.IMMUTABLE, l, "langsmith.source changed", AGD, GITHUB, "/langsmith/source",
        "external_docker", "langsmith.source is immutable"));
    rows.add(update(Category.IMMUTABLE, l, "provider changed", CP, LANGSMITH_CP, "/provider", "agentex",
        "immutable"));
    rows.add(update(Category.IMMUTABLE, a, "agentex.name changed", AGD, AGENTEX_SPEC, "/agentex/name", "helper-2",
        "immutable"));
    rows.add(update(Category.IMMUTABLE, a, "controlPlaneRef changed", AGD, AGENTEX_SPEC, "/controlPlaneRef/name",
        "other", "controlPlaneRef is immutable"));
    rows.add(update(Category.IMMUTABLE, a, "provider changed", CP, AGENTEX_CP, "/provider", "langsmith",
        "immutable"));
    // Quantities.
    rows.add(create(Category.QUANTITIES, l, "cpu 0.05", AGD, DOCKER, "/langsmith/sourceConfig",
        Map.of("resourceSpec", Map.of("cpu", 0.05)), "less than 0.1"));
    rows.add(create(Category.QUANTITIES, l, "cpuLimit 32", AGD, DOCKER, "/langsmith/sourceConfig",
        Map.of("resourceSpec", Map.of("cpuLimit", 32)), "more than 16"));
    rows.add(create(Category.QUANTITIES, l, "memoryMb \"512Mi\"", AGD, DOCKER, "/langsmith/sourceConfig",
        Map.of("resourceSpec", Map.of("memoryMb", "512Mi")), "expected integer"));
    rows.add(create(Category.QUANTITIES, l, "minScale -1", AGD, DOCKER, "/langsmith/sourceConfig",
        Map.of("resourceSpec", Map.of("minScale", -1)), "less than 0"));
    rows.add(create(Category.QUANTITIES, l, "dbStorageGi 0", AGD, DOCKER, "/langsmith/sourceConfig",
        Map.of("resourceSpec", Map.of("dbStorageGi", 0)), "less than 1"));
    rows.add(create(Category.QUANTITIES, a, "rateLimit.requestsPerSecond 0", CP, AGENTEX_CP, "/rateLimit",
        Map.of("requestsPerSecond", 0), "less than 0.01"));
    rows.add(create(Category.QUANTITIES, a, "rateLimit.burst 1001", CP, AGENTEX_CP, "/rateLimit",
        Map.of("burst", 1001), "more than 1000"));
    // Enums.
    rows.add(create(Category.ENUMS, l, "source docker", AGD, DOCKER, "/langsmith/source", "docker",
        "unsupported value"));
    rows.add(create(Category.ENUMS, l, "deploymentType staging", AGD, GITHUB, "/langsmith/sourceConfig/deploymentType",
        "staging", "unsupported value"));
    rows.add(create(Category.ENUMS, l, "provider langchain", CP, LANGSMITH_CP, "/provider", "langchain",
        "unsupported value"));
    rows.add(create(Category.ENUMS, a, "deletionPolicy delete (lower case)", AGD, AGENTEX_SPEC, "/deletionPolicy",
        "delete", "unsupported value"));
    rows.add(create(Category.ENUMS, a, "controlPlaneRef.kind Cluster", AGD, AGENTEX_SPEC, "/controlPlaneRef/kind",
        "Cluster", "unsupported value"));
    // Sizes.
    rows.add(create(Category.SIZES, l, "201 env entries", AGD, DOCKER, "/langsmith/env",
        Collections.nCopies(201, Map.of("name", "A", "value", "1")), "more than 200 items"));
    rows.add(create(Category.SIZES, l, "imageUri of 1,025 characters", AGD, DOCKER, "/langsmith/revisionConfig/imageUri",
        "r.example.com/" + "a".repeat(1011), "longer than 1024"));
    rows.add(create(Category.SIZES, l, "tenantId of 65 characters", CP, LANGSMITH_CP, "/tenantId", "t".repeat(65),
        "longer than 64"));
    rows.add(create(Category.SIZES, a, "agentex.name of 64 characters", AGD, AGENTEX_SPEC, "/agentex/name",
        "a".repeat(64), "longer than 63"));
    rows.add(create(Category.SIZES, a, "image tag of 129 characters", AGD, AGENTEX_SPEC, "/agentex/image/tag",
        "1".repeat(129), "longer than 128"));
    rows.add(create(Category.SIZES, a, "preview label of 65 characters", AGD, AGENTEX_SPEC, "/agentex/preview",
        Map.of("label", "p".repeat(65)), "longer than 64"));
    // Non-UTF-8 and unicode (the API server only stores UTF-8 JSON: bytes reach us only through Secrets).
    rows.add(create(Category.ENCODING, a, "agentex.name in Cyrillic", AGD, AGENTEX_SPEC, "/agentex/name",
        "\u0430\u0433\u0435\u043d\u0442", "does not match"));
    rows.add(create(Category.ENCODING, a, "agentex.name with an accent", AGD, AGENTEX_SPEC, "/agentex/name",
        "h\u00e9lper", "does not match"));
    return List.copyOf(rows);
  }

  private static CrdRow create(Category category, Provider provider, String input, String crd, String base,
      String pointer, Object value, String violation) {
    return new CrdRow(category, provider, input, crd, edit(base, pointer, value), null, violation);
  }

  private static CrdRow update(Category category, Provider provider, String input, String crd, String base,
      String pointer, Object value, String violation) {
    return new CrdRow(category, provider, input, crd, edit(base, pointer, value), object(base), violation);
  }

  /** The object with spec {@code yaml}. */
  static JsonNode object(String yaml) {
    try {
      return YAML.createObjectNode().set("spec", YAML.readTree(yaml));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The object with the field at {@code pointer} (under spec) set to {@code value}, or removed when null. */
  private static JsonNode edit(String yaml, String pointer, Object value) {
    JsonNode doc = object(yaml);
    String full = "/spec" + pointer;
    ObjectNode parent = (ObjectNode) doc.at(full.substring(0, full.lastIndexOf('/')));
    String field = full.substring(full.lastIndexOf('/') + 1);
    if (value == null) {
      parent.remove(field);
    } else {
      parent.set(field, YAML.valueToTree(value));
    }
    return doc;
  }
}

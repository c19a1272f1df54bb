package io.agentdeploy.operator.remote.langsmith;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.remote.StateHasher;
import io.agentdeploy.operator.remote.langsmith.LangSmithDesired.EnvEntry;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps {@code spec.langsmith} (Kubernetes style) to the API's request shapes (snake_case). */
public final class LangSmithMapper {
  /** Wire names use snake_case; enums carry their wire names through {@code @JsonProperty}. */
  static final ObjectMapper WIRE = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();
  /** Sorted keys make the canonical form independent of field order. */
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private LangSmithMapper() {}

  /**
   * @param env the environment in spec order with values resolved
   * @param fromSecrets names of entries whose values came from Secrets
   * @param hasher keys the hashes that status stores
   */
  public static LangSmithDesired toDesired(LangSmithSpec spec, Map<String, String> env, Set<String> fromSecrets,
      StateHasher hasher) {
    ObjectNode sourceConfig = spec.getSourceConfig() == null ? WIRE.createObjectNode()
        : WIRE.valueToTree(spec.getSourceConfig());
    ObjectNode revisionConfig = spec.getRevisionConfig() == null ? WIRE.createObjectNode()
        : WIRE.valueToTree(spec.getRevisionConfig());
    List<EnvEntry> secrets = env.entrySet().stream().map(e -> new EnvEntry(e.getKey(), e.getValue()))
        .sorted(Comparator.comparing(EnvEntry::name)).toList();
    String source = spec.getSource().wireName();
    String hash = hasher.hash(canonical(spec.getName(), source, sourceConfig, revisionConfig, secrets));
    String deploymentHash = hasher.hash(canonical(spec.getName(), source, sourceConfig, null, secrets));
    return new LangSmithDesired(spec.getName(), source, sourceConfig, revisionConfig, secrets, Set.copyOf(fromSecrets),
        Boolean.TRUE.equals(spec.getDeleteTracingProject()), hash, deploymentHash);
  }

  /** The create body: every field, {@code secrets} always present (the API requires it). */
  static ObjectNode createBody(LangSmithDesired desired) {
    ObjectNode body = WIRE.createObjectNode();
    body.put("name", desired.name());
    body.put("source", desired.source());
    body.set("source_config", desired.sourceConfig().deepCopy());
    body.set("source_revision_config", desired.revisionConfig().deepCopy());
    body.set("secrets", secretsNode(desired));
    return body;
  }

  /**
   * The patch body: mutable fields only (immutable ones would be refused), and always the
   * revision config and secrets, so one PATCH rolls out exactly one revision with everything.
   */
  static ObjectNode patchBody(LangSmithDesired desired) {
    ObjectNode body = WIRE.createObjectNode();
    ObjectNode sourceConfig = desired.sourceConfig().deepCopy();
    LangSmithFields.IMMUTABLE_SOURCE_CONFIG.forEach(sourceConfig::remove);
    if (!sourceConfig.isEmpty()) {
      body.set("source_config", sourceConfig);
    }
    body.set("source_revision_config", desired.revisionConfig().deepCopy());
    body.set("secrets", secretsNode(desired));
    return body;
  }

  private static ArrayNode secretsNode(LangSmithDesired desired) {
    ArrayNode secrets = WIRE.createArrayNode();
    desired.secrets().forEach(e -> secrets.addObject().put("name", e.name()).put("value", e.value()));
    return secrets;
  }

  /** The canonical form of everything that is applied: the input of the desired-state hash. */
  static byte[] canonicalState(LangSmithDesired d) {
    return canonical(d.name(), d.source(), d.sourceConfig(), d.revisionConfig(), d.secrets());
  }

  /** The canonical form of everything but source_revision_config (what a revision does not record). */
  static byte[] canonicalDeploymentState(LangSmithDesired d) {
    return canonical(d.name(), d.source(), d.sourceConfig(), null, d.secrets());
  }

  /**
   * Sorted keys and env entries make the bytes independent of field and spec order. The bytes are
   * the ones older versions hashed with plain SHA-256, so an old status can be verified once.
   */
  private static byte[] canonical(String name, String source, ObjectNode sourceConfig, ObjectNode revisionConfig,
      List<EnvEntry> secrets) {
    ObjectNode canonical = CANONICAL.createObjectNode();
    canonical.put("name", name);
    canonical.put("source", source);
    canonical.set("source_config", sourceConfig);
    if (revisionConfig != null) {
      canonical.set("source_revision_config", revisionConfig);
    }
    ArrayNode env = canonical.putArray("secrets");
    secrets.forEach(e -> env.addObject().put("name", e.name()).put("value", e.value()));
    try {
      Object sorted = CANONICAL.treeToValue(canonical, Object.class);
      return CANONICAL.writeValueAsString(sorted).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // Never with the message: the tree holds Secret values.
      throw new IllegalStateException("cannot serialise the desired state canonically");
    }
  }
}

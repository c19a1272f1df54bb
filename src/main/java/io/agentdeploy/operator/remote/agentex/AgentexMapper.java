package io.agentdeploy.operator.remote.agentex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentdeploy.operator.api.AgentexSpec;
import io.agentdeploy.operator.remote.StateHasher;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Maps {@code spec.agentex} (with resolved texts) to the deploy request. */
public final class AgentexMapper {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private AgentexMapper() {}

  /** @param hasher keys the hash that status stores */
  public static AgentexDesired toDesired(AgentexSpec spec, String manifest, String environment, StateHasher hasher) {
    boolean preview = spec.getPreview() != null;
    AgentexDesired unhashed = new AgentexDesired(spec.getName(), manifest, environment, spec.getBuildId(),
        spec.getImage() == null ? null : spec.getImage().getName(),
        spec.getImage() == null ? null : spec.getImage().getTag(), preview,
        preview ? spec.getPreview().getLabel() : null, preview ? spec.getPreview().getExpiresAt() : null, null);
    return new AgentexDesired(unhashed.name(), manifest, environment, unhashed.buildId(), unhashed.imageName(),
        unhashed.imageTag(), preview, unhashed.previewLabel(), unhashed.expiresAt(),
        hasher.hash(canonicalState(unhashed)));
  }

  /**
   * The canonical form of a deploy: its request body without the nonce, as older versions hashed
   * it with plain SHA-256 (so an old status can be verified once).
   */
  static byte[] canonicalState(AgentexDesired d) {
    try {
      return JSON.writeValueAsString(createBody(d, null)).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the deploy request", e);
    }
  }

  /** The comment line that carries a write-ahead nonce at the end of environment_config. */
  static final String NONCE_PREFIX = "# agentdeploy.io/intent: ";
  private static final java.util.regex.Pattern NONCE_LINE =
      java.util.regex.Pattern.compile("(?m)^# agentdeploy\\.io/intent: (\\S+)\\s*$");

  /**
   * @param nonce the write-ahead nonce, appended as a YAML comment (outside the hash; comparisons
   *     of content ignore that line), or null for the hash itself
   */
  static ObjectNode createBody(AgentexDesired d, String nonce) {
    ObjectNode body = JSON.createObjectNode();
    body.put("manifest_file", d.manifest());
    body.put("environment_config", nonce == null ? d.environment()
        : d.environment() + (d.environment().isEmpty() || d.environment().endsWith("\n") ? "" : "\n")
            + NONCE_PREFIX + nonce + "\n");
    if (d.buildId() != null) {
      body.put("build_id", d.buildId());
    } else {
      body.put("image_name", d.imageName());
      body.put("image_tag", d.imageTag());
    }
    if (d.preview()) {
      body.put("preview", true);
      if (d.previewLabel() != null) {
        body.put("preview_label", d.previewLabel());
      }
      if (d.expiresAt() != null) {
        body.put("expires_at", d.expiresAt());
      }
    }
    return body;
  }

  /** An environment_config without its intent comment lines and trailing blank space, to compare content. */
  static String withoutNonce(String environmentConfig) {
    return NONCE_LINE.matcher(environmentConfig).replaceAll("").stripTrailing();
  }

  /** The nonce the last intent comment line of an environment_config carries, or null. */
  static String nonceOf(String environmentConfig) {
    java.util.regex.Matcher m = NONCE_LINE.matcher(environmentConfig);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return last;
  }

  /** The agent name a manifest declares ({@code agent.name}, else a top-level {@code name}). */
  /** Whether the text parses as YAML: the API refuses a deploy whose environment config does not. */
  public static boolean isYaml(String text) {
    try {
      YAML.readTree(text);
      return true;
    } catch (Exception notYaml) {
      return false;
    }
  }

  public static Optional<String> agentName(String manifest) {
    try {
      JsonNode node = YAML.readTree(manifest);
      if (node == null) {
        return Optional.empty();
      }
      String name = node.path("agent").path("name").asText(null);
      return Optional.ofNullable(name != null ? name : node.path("name").asText(null));
    } catch (Exception notYaml) {
      return Optional.empty();
    }
  }
}

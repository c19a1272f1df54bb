package io.agentdeploy.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The simulated Scale GP Agentex v5 deployments: each POST is a deploy record progressing
 * PENDING -> RUNNING -> COMPLETED (or FAILED) over time; a completed production deploy supersedes
 * the older ones of the same Helm release; previews expire; DELETE soft-deletes to DELETED.
 */
public final class AgentexState {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final SimulatorConfig config;
  private final Clock clock;
  private final Random ids;
  private final Map<String, Deploy> deploys = new LinkedHashMap<>();

  AgentexState(SimulatorConfig config) {
    this.config = config;
    this.clock = config.clock();
    this.ids = new Random(config.seed() + 1);
  }

  static final class Deploy {
    final String id;
    final String account;
    final Instant createdAt;
    final String manifest;
    final String environment;
    final String buildId;
    final String imageName;
    final String imageTag;
    final boolean preview;
    final String previewLabel;
    final Instant expiresAt;
    final String release;
    final String outcome;
    Instant deletedAt;

    Deploy(String id, String account, Instant createdAt, String manifest, String environment, String buildId,
        String imageName, String imageTag, boolean preview, String previewLabel, Instant expiresAt, String release,
        String outcome) {
      this.id = id;
      this.account = account;
      this.createdAt = createdAt;
      this.manifest = manifest;
      this.environment = environment;
      this.buildId = buildId;
      this.imageName = imageName;
      this.imageTag = imageTag;
      this.preview = preview;
      this.previewLabel = previewLabel;
      this.expiresAt = expiresAt;
      this.release = release;
      this.outcome = outcome;
    }
  }

  Instant now() {
    return clock.instant();
  }

  private Duration step() {
    return config.stepDuration();
  }

  private Instant finishedAt(Deploy d) {
    return d.createdAt.plus(step().multipliedBy(2));
  }

  /** The agent name in a manifest: {@code agent.name} or a top-level {@code name}. */
  static String agentName(String manifest) {
    try {
      JsonNode node = YAML.readTree(manifest);
      if (node == null) {
        return null;
      }
      String name = node.path("agent").path("name").asText(null);
      return name != null ? name : node.path("name").asText(null);
    } catch (Exception e) {
      return null;
    }
  }

  static boolean validYaml(String text) {
    try {
      YAML.readTree(text);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  synchronized String status(Deploy d) {
    Instant now = now();
    if (d.deletedAt != null && !now.isBefore(d.deletedAt)) {
      return "DELETED";
    }
    if (d.preview && d.expiresAt != null && !now.isBefore(d.expiresAt)) {
      return "DELETED";
    }
    if (now.isBefore(d.createdAt.plus(step()))) {
      return "PENDING";
    }
    if (now.isBefore(finishedAt(d))) {
      return "RUNNING";
    }
    if (!d.preview && "COMPLETED".equals(d.outcome) && supersededBy(d, now).isPresent()) {
      return "SUPERSEDED";
    }
    return d.outcome;
  }

  /** A newer production deploy of the same release that completed by {@code now}. */
  private Optional<Deploy> supersededBy(Deploy d, Instant now) {
    return deploys.values().stream()
        .filter(o -> o != d && !o.preview && o.account.equals(d.account) && o.release.equals(d.release)
            && o.createdAt.isAfter(d.createdAt) && "COMPLETED".equals(o.outcome) && !now.isBefore(finishedAt(o))
            && (o.deletedAt == null || o.deletedAt.isAfter(finishedAt(o))))
        .findFirst();
  }

  synchronized Deploy create(String account, String manifest, String environment, String buildId, String imageName,
      String imageTag, boolean preview, String previewLabel, Instant expiresAt) {
    if (stripComments) {
      environment = environment.replaceAll("(?m)^\\s*#.*(\\n|$)", "");
    }
    String id = new UUID(ids.nextLong(), ids.nextLong()).toString();
    String outcome = "COMPLETED";
    for (FailureRule rule : config.failureRules()) {
      String value = switch (rule.field()) {
        case "image_tag" -> imageTag;
        case "image_name" -> imageName;
        case "build_id" -> buildId;
        default -> null;
      };
      if (rule.matches(value)) {
        outcome = "FAILED";
        break;
      }
    }
    String release = agentName(manifest);
    Instant created = now();
    Deploy d = new Deploy(id, account, created, manifest, environment, buildId, imageName, imageTag, preview,
        previewLabel, preview ? (expiresAt != null ? expiresAt : created.plus(Duration.ofHours(8))) : null,
        release == null ? "agent" : release, outcome);
    deploys.put(id, d);
    return d;
  }

  synchronized Optional<Deploy> find(String account, String id) {
    Deploy d = deploys.get(id);
    return d != null && d.account.equals(account) ? Optional.of(d) : Optional.empty();
  }

  synchronized List<Deploy> list(String account) {
    return deploys.values().stream().filter(d -> d.account.equals(account))
        .sorted(Comparator.comparing((Deploy d) -> d.createdAt).reversed()).toList();
  }

  synchronized void markDeleted(Deploy d) {
    d.deletedAt = now();
  }

  synchronized ObjectNode view(Deploy d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", d.id);
    n.put("object", "agentex_cloud_deploy");
    n.put("account_id", d.account);
    n.put("created_at", d.createdAt.toString());
    n.putObject("created_by").put("id", "svc-operator").put("type", "service_account").put("object", "identity");
    if (d.buildId == null) {
      n.putNull("build_id");
    } else {
      n.put("build_id", d.buildId);
    }
    n.put("namespace", "agentex-" + d.release);
    String status = status(d);
    if ("COMPLETED".equals(status) || "SUPERSEDED".equals(status)) {
      n.put("helm_release_name", d.preview ? d.release + "-" + d.id.substring(0, 8) : d.release);
    } else {
      n.putNull("helm_release_name");
    }
    n.put("manifest_file", d.manifest);
    n.put("environment_config", d.environment);
    n.put("status", status);
    n.set("deploy_events", events(d));
    if (d.expiresAt == null) {
      n.putNull("expires_at");
    } else {
      n.put("expires_at", d.expiresAt.toString());
    }
    if (d.previewLabel == null) {
      n.putNull("preview_label");
    } else {
      n.put("preview_label", d.previewLabel);
    }
    return n;
  }

  /** Kubernetes-style events of the release, as far as the deploy has progressed. */
  synchronized ArrayNode events(Deploy d) {
    ArrayNode events = JSON.createArrayNode();
    Instant now = now();
    Instant running = d.createdAt.plus(step());
    if (!now.isBefore(running)) {
      event(events, "Normal", "Scheduled", "Successfully assigned agentex-" + d.release + "/" + d.release
          + " to node pool-a", running);
    }
    Instant done = finishedAt(d);
    if (!now.isBefore(done)) {
      if ("FAILED".equals(d.outcome)) {
        String image = d.imageName != null ? d.imageName + ":" + d.imageTag : "build " + d.buildId;
        event(events, "Warning", "BackOff", "Back-off pulling image \"" + image + "\"", done);
      } else {
        event(events, "Normal", "Started", "Started container " + d.release, done);
      }
    }
    return events;
  }

  private static void event(ArrayNode events, String type, String reason, String message, Instant at) {
    events.addObject().put("type", type).put("reason", reason).put("message", message).put("timestamp", at.toString());
  }

  // ------------------------------------------------------------------ out-of-band (tests)

  private boolean stripComments;

  /**
   * Test control: store environment_config without its comment lines, as a control plane that
   * re-serialises the YAML would. The API documents the field as "as submitted"; this is the
   * undocumented case the operator must survive.
   */
  public synchronized void stripComments(boolean value) {
    stripComments = value;
  }

  /** While set, every deploy POST that passes validation answers 400 with this detail (a test control). */
  private volatile String deployRefusal;

  /**
   * Test control: while {@code detail} is set, every valid deploy POST answers 400 with it (a rule
   * of the control plane the spec meets); null accepts again, as when the cause is fixed remotely.
   */
  public void refuseDeploys(String detail) {
    deployRefusal = detail;
  }

  String deployRefusal() {
    return deployRefusal;
  }

  /** Deletes a deploy as another tool would. */
  public synchronized void deleteOutOfBand(String id) {
    Deploy d = deploys.get(id);
    if (d != null) {
      markDeleted(d);
    }
  }

  /** A snapshot of every deploy, as the API would render it. */
  public synchronized List<JsonNode> deploys() {
    List<JsonNode> out = new ArrayList<>();
    deploys.values().forEach(d -> out.add(view(d)));
    return out;
  }
}

package io.agentdeploy.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.simulator.AgentexState.Deploy;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scale GP's Agentex v5 deployments API (shared/api/agentex-v5-deployments.yaml): create, get,
 * list with filters and cursor paging, logs, and soft delete that refuses terminal records.
 */
final class AgentexApi {
  static final String PREFIX = "/v5/agentex/deployments";
  private static final Pattern ONE = Pattern.compile("^" + PREFIX + "/([^/]+)$");
  private static final Pattern LOGS = Pattern.compile("^" + PREFIX + "/([^/]+)/logs$");
  private static final Set<String> TERMINAL = Set.of("DELETED", "CANCELLED", "SUPERSEDED");

  private final AgentexState state;

  AgentexApi(AgentexState state) {
    this.state = state;
  }

  static boolean handles(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  static SimOperation operation(String method, String path) {
    if (path.equals(PREFIX)) {
      return method.equals("POST") ? SimOperation.AGENTEX_CREATE
          : method.equals("GET") ? SimOperation.AGENTEX_LIST : SimOperation.UNKNOWN;
    }
    if (ONE.matcher(path).matches()) {
      return method.equals("GET") ? SimOperation.AGENTEX_GET
          : method.equals("DELETE") ? SimOperation.AGENTEX_DELETE : SimOperation.UNKNOWN;
    }
    if (LOGS.matcher(path).matches() && method.equals("GET")) {
      return SimOperation.AGENTEX_LOGS;
    }
    return SimOperation.UNKNOWN;
  }

  ApiResponse handle(SimOperation op, String account, String path, Map<String, List<String>> query, JsonNode body) {
    return switch (op) {
      case AGENTEX_CREATE -> create(account, body);
      case AGENTEX_LIST -> list(account, query);
      case AGENTEX_GET -> withDeploy(account, group(ONE, path), d -> ApiResponse.of(200, state.view(d)));
      case AGENTEX_DELETE -> withDeploy(account, group(ONE, path), this::delete);
      case AGENTEX_LOGS -> withDeploy(account, group(LOGS, path), d -> logs(d, query));
      default -> ApiResponse.detail(404, "Not Found");
    };
  }

  private static String group(Pattern p, String path) {
    Matcher m = p.matcher(path);
    m.matches();
    return m.group(1);
  }

  private ApiResponse withDeploy(String account, String id, java.util.function.Function<Deploy, ApiResponse> f) {
    return state.find(account, id).map(f).orElseGet(() -> ApiResponse.detail(404, "Deployment " + id + " not found."));
  }

  private ApiResponse create(String account, JsonNode body) {
    if (body == null || !body.isObject()) {
      return ApiResponse.validation("body", "Input should be a valid dictionary", "dict_type");
    }
    for (String required : List.of("manifest_file", "environment_config")) {
      if (!body.path(required).isTextual()) {
        return ApiResponse.validation("body." + required, "Field required", "missing");
      }
    }
    String buildId = text(body, "build_id");
    String imageName = text(body, "image_name");
    String imageTag = text(body, "image_tag");
    if (buildId == null && (imageName == null || imageTag == null)) {
      return ApiResponse.detail(400, "Either build_id or both image_name and image_tag are required.");
    }
    boolean preview = body.path("preview").asBoolean(false);
    String label = text(body, "preview_label");
    String expires = text(body, "expires_at");
    if (!preview && (label != null || expires != null)) {
      return ApiResponse.detail(400, "preview_label and expires_at are only allowed for preview deployments.");
    }
    String manifest = body.get("manifest_file").asText();
    String environment = body.get("environment_config").asText();
    if (!AgentexState.validYaml(manifest) || !AgentexState.validYaml(environment)) {
      return ApiResponse.detail(400, "manifest_file and environment_config must be valid YAML.");
    }
    if (AgentexState.agentName(manifest) == null) {
      return ApiResponse.detail(400, "The manifest does not name the agent (agent.name).");
    }
    java.time.Instant expiresAt = null;
    if (expires != null) {
      try {
        expiresAt = OffsetDateTime.parse(expires).toInstant();
      } catch (RuntimeException e) {
        return ApiResponse.validation("body.expires_at", "Input should be a valid datetime", "datetime_parsing");
      }
    }
    if (label != null) {
      label = label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
      label = label.substring(0, Math.min(30, label.length()));
    }
    if (state.deployRefusal() != null) {
      return ApiResponse.detail(400, state.deployRefusal());
    }
    Deploy d = state.create(account, manifest, environment, buildId, imageName, imageTag, preview, label, expiresAt);
    return ApiResponse.of(200, state.view(d));
  }

  private ApiResponse list(String account, Map<String, List<String>> query) {
    int limit;
    try {
      limit = Integer.parseInt(first(query, "limit", "100"));
    } catch (NumberFormatException e) {
      return ApiResponse.validation("query.limit", "Input should be a valid integer", "int_parsing");
    }
    if (limit < 1 || limit > 10000) {
      return ApiResponse.validation("query.limit", "Input should be between 1 and 10000", "less_than_equal");
    }
    String buildId = first(query, "build_id", null);
    String label = first(query, "preview_label", null);
    String agent = first(query, "agent_name", null);
    String after = first(query, "starting_after", null);
    List<Deploy> all = state.list(account).stream()
        .filter(d -> buildId == null || buildId.equals(d.buildId))
        .filter(d -> label == null || label.equals(d.previewLabel))
        // The agent name is resolved through the build: image-based deploys have none.
        .filter(d -> agent == null || (d.buildId != null && agent.equals(d.release)))
        .toList();
    int start = 0;
    if (after != null) {
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id.equals(after)) {
          start = i + 1;
        }
      }
    }
    ObjectNode out = AgentexState.JSON.createObjectNode();
    ArrayNode items = out.putArray("items");
    all.stream().skip(start).limit(limit).forEach(d -> items.add(state.view(d)));
    out.put("has_more", start + limit < all.size());
    return ApiResponse.of(200, out);
  }

  private ApiResponse delete(Deploy d) {
    String status = state.status(d);
    if (TERMINAL.contains(status)) {
      return ApiResponse.detail(400, "Deployment " + d.id + " is already " + status + " and cannot be deleted.");
    }
    state.markDeleted(d);
    return ApiResponse.of(200, state.view(d));
  }

  private ApiResponse logs(Deploy d, Map<String, List<String>> query) {
    ObjectNode out = AgentexState.JSON.createObjectNode();
    out.put("deployment_id", d.id);
    ArrayNode lines = out.putArray("lines");
    int i = 0;
    for (JsonNode e : state.events(d)) {
      lines.addObject().put("id", String.format("%06d", i++)).put("message", e.path("message").asText())
          .put("log_level", "Warning".equals(e.path("type").asText()) ? "error" : "info")
          .put("timestamp", e.path("timestamp").asText());
    }
    out.put("has_more", false);
    out.putNull("next_cursor");
    return ApiResponse.of(200, out);
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String first(Map<String, List<String>> query, String name, String fallback) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? fallback : v.get(0);
  }
}

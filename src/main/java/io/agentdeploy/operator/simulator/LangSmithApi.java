package io.agentdeploy.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.simulator.LangSmithState.Deployment;
import io.agentdeploy.operator.simulator.LangSmithState.Revision;
import io.agentdeploy.operator.simulator.SimulatorConfig.PatchDuringRollout;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LangSmith Deployment Control Plane API v2 (deployments and revisions) as described in
 * shared/api/langsmith-control-plane-v2.yaml: status codes, error bodies, field rules,
 * immutability, unique names, soft delete and revision progression.
 */
final class LangSmithApi {
  private static final Pattern DEPLOYMENT = Pattern.compile("^/v2/deployments/([^/]+)$");
  private static final Pattern REVISIONS = Pattern.compile("^/v2/deployments/([^/]+)/revisions$");
  private static final Pattern REVISION = Pattern.compile("^/v2/deployments/([^/]+)/revisions/([^/]+)$");
  private static final Pattern REDEPLOY = Pattern.compile("^/v2/deployments/([^/]+)/revisions/([^/]+)/redeploy$");
  private static final Pattern UUID = Pattern.compile(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  private static final Set<String> SOURCES =
      Set.of("github", "external_docker", "internal_docker", "internal_source", "internal_template");
  private static final List<String> IMMUTABLE = List.of("integration_id", "repo_url", "deployment_type", "listener_id");

  private final LangSmithState state;
  private final SimulatorConfig config;

  LangSmithApi(LangSmithState state, SimulatorConfig config) {
    this.state = state;
    this.config = config;
  }

  /** Which operation a request is, from its method and path alone. */
  static SimOperation operation(String method, String path) {
    if (path.equals("/v2/deployments")) {
      return switch (method) {
        case "GET" -> SimOperation.LIST_DEPLOYMENTS;
        case "POST" -> SimOperation.CREATE_DEPLOYMENT;
        case "DELETE" -> SimOperation.DELETE_DEPLOYMENTS;
        default -> SimOperation.UNKNOWN;
      };
    }
    if (DEPLOYMENT.matcher(path).matches()) {
      return switch (method) {
        case "GET" -> SimOperation.GET_DEPLOYMENT;
        case "PATCH" -> SimOperation.PATCH_DEPLOYMENT;
        case "DELETE" -> SimOperation.DELETE_DEPLOYMENT;
        default -> SimOperation.UNKNOWN;
      };
    }
    if (REVISIONS.matcher(path).matches() && method.equals("GET")) {
      return SimOperation.LIST_REVISIONS;
    }
    if (REVISION.matcher(path).matches() && method.equals("GET")) {
      return SimOperation.GET_REVISION;
    }
    if (REDEPLOY.matcher(path).matches() && method.equals("POST")) {
      return SimOperation.REDEPLOY_REVISION;
    }
    return SimOperation.UNKNOWN;
  }

  ApiResponse handle(SimOperation op, String tenant, String path, Map<String, List<String>> query, JsonNode body) {
    return switch (op) {
      case LIST_DEPLOYMENTS -> list(tenant, query);
      case CREATE_DEPLOYMENT -> create(tenant, body);
      case GET_DEPLOYMENT -> state.unseenById(group(DEPLOYMENT, path, 1))
          ? ApiResponse.detail(404, "Deployment ID " + group(DEPLOYMENT, path, 1) + " not found.")
          : withDeployment(tenant, group(DEPLOYMENT, path, 1), d -> ApiResponse.of(200, state.view(d)));
      case PATCH_DEPLOYMENT -> withDeployment(tenant, group(DEPLOYMENT, path, 1), d -> patch(d, body));
      case DELETE_DEPLOYMENT -> withDeployment(tenant, group(DEPLOYMENT, path, 1), d -> delete(d, query));
      case DELETE_DEPLOYMENTS -> bulkDelete(tenant, query);
      case LIST_REVISIONS -> withDeployment(tenant, group(REVISIONS, path, 1), d -> revisions(d, query));
      case GET_REVISION -> withDeployment(tenant, group(REVISION, path, 1), d -> revision(d, group(REVISION, path, 2)));
      case REDEPLOY_REVISION -> withDeployment(tenant, group(REDEPLOY, path, 1),
          d -> redeploy(d, group(REDEPLOY, path, 2)));
      default -> ApiResponse.detail(404, "Not Found");
    };
  }

  private static String group(Pattern p, String path, int g) {
    Matcher m = p.matcher(path);
    m.matches();
    return m.group(g);
  }

  private ApiResponse withDeployment(String tenant, String id, java.util.function.Function<Deployment, ApiResponse> f) {
    if (!UUID.matcher(id).matches()) {
      return ApiResponse.validation("path.deployment_id", "Input should be a valid UUID", "uuid_parsing");
    }
    return state.find(tenant, id).map(f)
        .orElseGet(() -> ApiResponse.detail(404, "Deployment ID " + id + " not found."));
  }

  // ---------------------------------------------------------------- list

  private ApiResponse list(String tenant, Map<String, List<String>> query) {
    Integer limit = intParam(query, "limit", 20);
    Integer offset = intParam(query, "offset", 0);
    if (limit == null || limit < 1 || limit > 100) {
      return ApiResponse.validation("query.limit", "Input should be between 1 and 100", "less_than_equal");
    }
    if (offset == null || offset < 0) {
      return ApiResponse.validation("query.offset", "Input should be greater than or equal to 0", "greater_than_equal");
    }
    String nameContains = first(query, "name_contains");
    String status = first(query, "status");
    String ids = state.ignoresDeploymentIds() ? null : first(query, "deployment_ids");
    Set<String> idSet = ids == null ? null : Set.of(ids.split(","));
    java.util.function.Predicate<Deployment> matches = d -> (nameContains == null || d.name.contains(nameContains))
        && (status == null || status.equals(state.status(d))) && (idSet == null || !state.unseenById(d.id));
    List<Deployment> all = idSet != null ? state.listIds(tenant, idSet, matches)
        : nameContains != null ? state.listNameContaining(tenant, nameContains, matches) : state.list(tenant, matches);
    ObjectNode out = LangSmithState.JSON.createObjectNode();
    ArrayNode resources = out.putArray("resources");
    all.stream().skip(offset).limit(limit).forEach(d -> resources.add(state.view(d)));
    out.put("offset", offset + resources.size());
    return ApiResponse.of(200, out);
  }

  // ---------------------------------------------------------------- create

  private ApiResponse create(String tenant, JsonNode body) {
    if (body == null || !body.isObject()) {
      return ApiResponse.validation("body", "Input should be a valid dictionary", "dict_type");
    }
    for (String required : List.of("name", "source", "source_config", "source_revision_config", "secrets")) {
      if (!body.has(required) || body.get(required).isNull()) {
        return ApiResponse.validation("body." + required, "Field required", "missing");
      }
    }
    if (!body.get("name").isTextual()) {
      return ApiResponse.validation("body.name", "Input should be a valid string", "string_type");
    }
    String source = body.get("source").asText();
    if (!body.get("source").isTextual() || !SOURCES.contains(source)) {
      return ApiResponse.validation("body.source", "Input should be 'github', 'external_docker', 'internal_docker', "
          + "'internal_source' or 'internal_template'", "enum");
    }
    ApiResponse shape = checkShapes(body);
    if (shape != null) {
      return shape;
    }
    ObjectNode sc = (ObjectNode) body.get("source_config");
    ObjectNode rc = (ObjectNode) body.get("source_revision_config");
    String name = body.get("name").asText();
    String rule = sourceRules(source, sc, rc);
    if (rule != null) {
      return ApiResponse.detail(400, rule);
    }
    if (state.byName(tenant, name).isPresent()) {
      return ApiResponse.detail(400, "A deployment named " + name + " already exists.");
    }
    Deployment d = state.create(tenant, name, source, stripNulls(sc), stripNulls(rc), (ArrayNode) body.get("secrets"),
        body.get("secret_references"), state.now());
    return ApiResponse.of(201, state.view(d));
  }

  /** Type checks a FastAPI model would make, answered with 422. */
  private static ApiResponse checkShapes(JsonNode body) {
    for (String field : List.of("source_config", "source_revision_config")) {
      if (body.has(field) && !body.get(field).isNull() && !body.get(field).isObject()) {
        return ApiResponse.validation("body." + field, "Input should be a valid dictionary", "dict_type");
      }
    }
    JsonNode secrets = body.get("secrets");
    if (secrets != null && !secrets.isNull()) {
      if (!secrets.isArray()) {
        return ApiResponse.validation("body.secrets", "Input should be a valid list", "list_type");
      }
      for (int i = 0; i < secrets.size(); i++) {
        JsonNode s = secrets.get(i);
        if (!s.path("name").isTextual()) {
          return ApiResponse.validation("body.secrets." + i + ".name", "Field required", "missing");
        }
        if (!s.path("value").isTextual()) {
          return ApiResponse.validation("body.secrets." + i + ".value", "Field required", "missing");
        }
      }
    }
    JsonNode rs = body.path("source_config").path("resource_spec");
    for (String cpu : List.of("cpu", "queue_cpu", "redis_cpu")) {
      if (rs.path(cpu).isNumber() && (rs.get(cpu).asDouble() < 0.1 || rs.get(cpu).asDouble() > 8)) {
        return ApiResponse.validation("body.source_config.resource_spec." + cpu,
            "Input should be between 0.1 and 8", "less_than_equal");
      }
    }
    return null;
  }

  /** The per-source field rules of the API reference, answered with 400. */
  private static String sourceRules(String source, JsonNode sc, JsonNode rc) {
    boolean github = source.equals("github");
    boolean docker = source.equals("external_docker");
    if (docker && !present(rc, "image_uri")) {
      return "source_revision_config.image_uri is required for source external_docker.";
    }
    if ((github || source.equals("internal_source")) && !present(rc, "langgraph_config_path")) {
      return "source_revision_config.langgraph_config_path is required for source " + source + ".";
    }
    if (!github && !source.equals("internal_source") && present(rc, "langgraph_config_path")) {
      return "source_revision_config.langgraph_config_path must be null for source " + source + ".";
    }
    if (!github) {
      for (String f : List.of("integration_id", "repo_url", "deployment_type", "build_on_push")) {
        if (present(sc, f)) {
          return "source_config." + f + " is only allowed for source github.";
        }
      }
    }
    if (!docker) {
      for (String f : List.of("resource_spec", "listener_id", "listener_config", "custom_url")) {
        if (present(sc, f)) {
          return "source_config." + f + " is only allowed for source external_docker.";
        }
      }
    }
    if (present(rc, "repo_ref") && rc.get("repo_ref").asText().startsWith("refs/tags/")
        && !(present(sc, "build_on_push") && !sc.get("build_on_push").asBoolean())) {
      return "A tag ref requires build_on_push=false.";
    }
    return null;
  }

  private static boolean present(JsonNode node, String field) {
    return node != null && node.has(field) && !node.get(field).isNull();
  }

  private static ObjectNode stripNulls(ObjectNode node) {
    ObjectNode copy = node.deepCopy();
    List<String> nulls = new java.util.ArrayList<>();
    copy.fieldNames().forEachRemaining(f -> {
      if (copy.get(f).isNull()) {
        nulls.add(f);
      }
    });
    nulls.forEach(copy::remove);
    return copy;
  }

  // ---------------------------------------------------------------- patch

  private ApiResponse patch(Deployment d, JsonNode body) {
    if (body == null || !body.isObject()) {
      return ApiResponse.validation("body", "Input should be a valid dictionary", "dict_type");
    }
    ApiResponse shape = checkShapes(body);
    if (shape != null) {
      return shape;
    }
    if (d.deletedAt != null) {
      return ApiResponse.detail(400, "Deployment " + d.id + " is being deleted.");
    }
    if (present(body, "name") || present(body, "source")) {
      return ApiResponse.detail(400, "name and source cannot be changed.");
    }
    JsonNode sc = body.get("source_config");
    if (sc != null && sc.isObject()) {
      for (String f : IMMUTABLE) {
        if (present(sc, f) && !sc.get(f).equals(d.sourceConfig.get(f))) {
          return ApiResponse.detail(400, "source_config." + f + " cannot be changed after creation.");
        }
      }
      JsonNode ns = sc.path("listener_config").path("k8s_namespace");
      if (!ns.isMissingNode() && !ns.isNull() && !ns.equals(d.sourceConfig.path("listener_config").path("k8s_namespace"))) {
        return ApiResponse.detail(400, "source_config.listener_config.k8s_namespace cannot be changed after creation.");
      }
      if (present(sc, "custom_url") && !d.source.equals("external_docker")) {
        return ApiResponse.detail(400, "source_config.custom_url is only allowed for source external_docker.");
      }
      if (present(sc, "resource_spec") && !d.source.equals("external_docker")) {
        return ApiResponse.detail(400, "source_config.resource_spec is only allowed for source external_docker.");
      }
    }
    JsonNode rc = body.get("source_revision_config");
    boolean revisionFields = rc != null && rc.isObject() && hasNonNull(rc);
    boolean newRevision = revisionFields || present(body, "secrets")
        || (sc != null && present(sc, "resource_spec"));
    Revision latest = d.latest();
    String refusal = state.revisionChangeRefusal();
    if (newRevision && refusal != null) {
      return ApiResponse.detail(400, refusal);
    }
    if (newRevision && latest != null && !latest.terminal(state.now())
        && config.patchDuringRollout() == PatchDuringRollout.REJECT) {
      return ApiResponse.detail(400, state.rolloutBusyDetailOr("Revision " + latest.id + " of deployment " + d.id
          + " is still in progress; wait for it to finish or interrupt it."));
    }
    if (sc != null && sc.isObject()) {
      sc.fields().forEachRemaining(e -> {
        if (!e.getValue().isNull() && !IMMUTABLE.contains(e.getKey()) && !e.getKey().equals("listener_config")) {
          d.sourceConfig.set(e.getKey(), e.getValue().deepCopy());
        }
      });
    }
    if (present(body, "secrets")) {
      d.secrets = (ArrayNode) body.get("secrets").deepCopy();
    }
    if (present(body, "secret_references")) {
      d.secretReferences = body.get("secret_references").deepCopy();
    }
    state.rewriteStored(d);
    if (newRevision) {
      ObjectNode merged = latest == null ? LangSmithState.JSON.createObjectNode() : latest.config.deepCopy();
      if (revisionFields) {
        rc.fields().forEachRemaining(e -> {
          if (!e.getValue().isNull()) {
            merged.set(e.getKey(), e.getValue().deepCopy());
          }
        });
      }
      state.addRevision(d, merged, state.now());
    } else {
      d.updatedAt = state.now();
    }
    return ApiResponse.of(200, state.view(d));
  }

  private static boolean hasNonNull(JsonNode node) {
    var it = node.elements();
    while (it.hasNext()) {
      if (!it.next().isNull()) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- delete

  private ApiResponse delete(Deployment d, Map<String, List<String>> query) {
    boolean force = "true".equalsIgnoreCase(first(query, "force"));
    if (force) {
      if (d.deletedAt == null) {
        return ApiResponse.detail(400, "force=true is only accepted for a deployment that was already deleted.");
      }
      state.purge(d.id);
      return ApiResponse.of(204, null);
    }
    state.markDeleted(d, "true".equalsIgnoreCase(first(query, "delete_tracing_project")));
    return ApiResponse.of(204, null);
  }

  private ApiResponse bulkDelete(String tenant, Map<String, List<String>> query) {
    List<String> ids = query.getOrDefault("deployment_ids", List.of());
    if (ids.isEmpty()) {
      return ApiResponse.validation("query.deployment_ids", "Field required", "missing");
    }
    if (ids.size() > 100) {
      return ApiResponse.validation("query.deployment_ids", "List should have at most 100 items", "too_long");
    }
    for (String id : ids) {
      if (!UUID.matcher(id).matches()) {
        return ApiResponse.validation("query.deployment_ids", "Input should be a valid UUID", "uuid_parsing");
      }
    }
    boolean anyFound = false;
    for (String id : ids) {
      var d = state.find(tenant, id);
      if (d.isPresent()) {
        anyFound = true;
        state.markDeleted(d.get(), false);
      }
    }
    return anyFound ? ApiResponse.of(200, LangSmithState.JSON.createObjectNode())
        : ApiResponse.detail(404, "Deployment ID " + ids.get(0) + " not found.");
  }

  // ---------------------------------------------------------------- revisions

  private ApiResponse revisions(Deployment d, Map<String, List<String>> query) {
    Integer limit = intParam(query, "limit", 20);
    Integer offset = intParam(query, "offset", 0);
    if (limit == null || limit < 1 || limit > 100 || offset == null || offset < 0) {
      return ApiResponse.validation("query.limit", "Input should be between 1 and 100", "less_than_equal");
    }
    String statuses = first(query, "status");
    Set<String> wanted = statuses == null ? null : Set.of(statuses.split(","));
    ObjectNode out = LangSmithState.JSON.createObjectNode();
    ArrayNode resources = out.putArray("resources");
    var now = state.now();
    List<Revision> newestFirst = new java.util.ArrayList<>(d.revisions);
    java.util.Collections.reverse(newestFirst);
    newestFirst.stream().filter(r -> !r.removed).filter(r -> wanted == null || wanted.contains(r.status(now))).skip(offset).limit(limit)
        .forEach(r -> resources.add(state.view(r)));
    out.put("offset", offset + resources.size());
    return ApiResponse.of(200, out);
  }

  private ApiResponse revision(Deployment d, String revisionId) {
    if (!UUID.matcher(revisionId).matches()) {
      return ApiResponse.validation("path.revision_id", "Input should be a valid UUID", "uuid_parsing");
    }
    return d.revision(revisionId).map(r -> ApiResponse.of(200, state.view(r)))
        .orElseGet(() -> ApiResponse.detail(404, "Revision ID " + revisionId + " not found."));
  }

  /**
   * Rolls the deployment back/forward to a revision that reached DEPLOYED; no body, answers the
   * deployment. 400 while any revision is in progress (whatever {@code patchDuringRollout} says)
   * and for a revision that never reached DEPLOYED. See {@link LangSmithState#redeploy}.
   */
  private ApiResponse redeploy(Deployment d, String revisionId) {
    if (!UUID.matcher(revisionId).matches()) {
      return ApiResponse.validation("path.revision_id", "Input should be a valid UUID", "uuid_parsing");
    }
    synchronized (state) {
      var target = d.revision(revisionId);
      if (target.isEmpty()) {
        return ApiResponse.detail(404, "Revision ID " + revisionId + " not found.");
      }
      if (d.deletedAt != null) {
        return ApiResponse.detail(400, "Deployment " + d.id + " is being deleted.");
      }
      var now = state.now();
      for (Revision r : d.revisions) {
        if (r.inProgress(now)) {
          return ApiResponse.detail(400, "Revision " + r.id + " of deployment " + d.id
              + " is still in progress; wait for it to finish or interrupt it.");
        }
      }
      Revision r = target.get();
      if (!"DEPLOYED".equals(r.outcome())) {
        return ApiResponse.detail(400, "Revision " + r.id + " never reached DEPLOYED (status " + r.status(now)
            + "); only a deployed revision can be redeployed.");
      }
      state.redeploy(d, r, now);
      return ApiResponse.of(200, state.view(d));
    }
  }

  // ---------------------------------------------------------------- query helpers

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static Integer intParam(Map<String, List<String>> query, String name, int fallback) {
    String v = first(query, name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

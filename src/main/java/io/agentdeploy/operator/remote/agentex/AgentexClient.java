package io.agentdeploy.operator.remote.agentex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.remote.Applied;
import io.agentdeploy.operator.remote.DeleteOutcome;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteEvent;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.RemoteException.Kind;
import io.agentdeploy.operator.remote.RemoteMatch;
import io.agentdeploy.operator.remote.Rollout;
import io.agentdeploy.operator.remote.RolloutPhase;
import io.agentdeploy.operator.remote.http.ApiRequest;
import io.agentdeploy.operator.remote.http.ApiResponse;
import io.agentdeploy.operator.remote.http.Endpoint;
import io.agentdeploy.operator.remote.http.HttpTransport;
import io.agentdeploy.operator.remote.http.RemoteText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Every call this operator makes to Scale GP's Agentex v5 deployments API. */
public final class AgentexClient implements RemoteDeploymentClient {
  private static final String BASE = "/v5/agentex/deployments";
  private static final Set<String> IN_PROGRESS = Set.of("PENDING", "RUNNING");
  /** Terminal states in which a deploy no longer runs anything: nothing left to delete. */
  private static final Set<String> GONE = Set.of("DELETED", "CANCELLED", "SUPERSEDED");
  private static final int PAGE = 100;

  private final HttpTransport transport;
  private final Endpoint endpoint;

  public AgentexClient(HttpTransport transport, Endpoint endpoint) {
    this.transport = transport;
    this.endpoint = endpoint;
  }

  @Override
  public boolean namesAreUnique() {
    return false;
  }

  @Override
  public Observation observe(String deployId, DesiredDeployment desired) {
    JsonNode deploy;
    try {
      deploy = read(transport.send(endpoint, ApiRequest.get("getDeploy", path(deployId), null)));
    } catch (RemoteException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return notFound(deployId, e);
      }
      throw e;
    }
    // Shown in status as-is: bounded like any text from a remote.
    String status = RemoteText.bounded(deploy.path("status").asText("UNKNOWN"), RemoteText.MAX_WORD)
        .toUpperCase(Locale.ROOT);
    Instant expiresAt = instant(deploy.path("expires_at"));
    boolean expired = "DELETED".equals(status) && expiresAt != null && !Instant.now().isBefore(expiresAt);
    List<RemoteEvent> events = events(deploy.path("deploy_events"));
    String account = deploy.path("account_id").asText(null);
    String nonce = AgentexMapper.nonceOf(deploy.path("environment_config").asText(""));
    if (desired == null ? GONE.contains(status) : "DELETED".equals(status)) {
      return new Observation(false, Observation.Absence.PRESENT, false, expired, deployId,
          instant(deploy.path("created_at")), List.of(), null, null, expiresAt, events, account, nonce);
    }
    // Superseded by a deploy this resource did not make: the remote no longer runs the spec.
    List<String> drift = "SUPERSEDED".equals(status) ? List.of("deploy superseded by another deploy") : List.of();
    RolloutPhase phase = phaseOf(status);
    Rollout rollout = new Rollout(deployId, phase == RolloutPhase.SUCCEEDED && !"SUPERSEDED".equals(status)
        ? deployId : null, status, phase, phase == RolloutPhase.FAILED || GONE.contains(status));
    return new Observation(true, Observation.Absence.PRESENT, false, false, deployId,
        instant(deploy.path("created_at")), drift, rollout, null, expiresAt, events, account, nonce,
        io.agentdeploy.operator.remote.DriftedValues.NONE, content(deploy, desired));
  }

  /**
   * How far the record shows the spec. A record never changes after it is made, so this is read
   * once, on adoption; an image deploy's record has no image name or tag (only a build id), so
   * nothing in it shows which image it runs.
   */
  static io.agentdeploy.operator.remote.ContentCheck content(JsonNode deploy, DesiredDeployment desired) {
    if (!(desired instanceof AgentexDesired d)) {
      return io.agentdeploy.operator.remote.ContentCheck.NONE;
    }
    List<String> differs = new ArrayList<>();
    List<String> notShown = new ArrayList<>();
    if (d.buildId() == null) {
      notShown.add("image");
    } else if (!d.buildId().equals(deploy.path("build_id").asText(null))) {
      differs.add("build_id");
    }
    if (!d.manifest().equals(deploy.path("manifest_file").asText(""))) {
      differs.add("manifest");
    }
    if (!AgentexMapper.withoutNonce(d.environment()).equals(
        AgentexMapper.withoutNonce(deploy.path("environment_config").asText("")))) {
      differs.add("environment");
    }
    if (d.preview() && !java.util.Objects.equals(d.previewLabel(), deploy.path("preview_label").asText(null))) {
      differs.add("preview label");
    }
    return new io.agentdeploy.operator.remote.ContentCheck(differs, notShown);
  }

  /**
   * The API's own not-found (a JSON detail string, not FastAPI's bare "Not Found" for an unknown
   * route) while a list of the same API answers 200: gone if a later read agrees (the caller
   * reads again at least one poll interval later). Anything else is a transient failure.
   */
  private Observation notFound(String deployId, RemoteException e) {
    boolean apiNotFound = e.apiDetail().map(d -> !d.isBlank() && !"not found".equalsIgnoreCase(d.strip()))
        .orElse(false);
    if (!apiNotFound) {
      throw new RemoteException(Kind.RETRYABLE, 404, "agentex getDeploy answered 404 without the API's not-found "
          + "body for " + deployId + " (a proxy or ingress page?); not taken as a deletion");
    }
    read(transport.send(endpoint, ApiRequest.get("listDeploys", BASE, Map.of("limit", "1"))));
    return Observation.absent(deployId, Observation.Absence.RECHECK);
  }

  /** The provider-neutral reading of a deploy status, compared case-insensitively. */
  static RolloutPhase phaseOf(String status) {
    String s = status.toUpperCase(Locale.ROOT);
    return switch (s) {
      case "COMPLETED", "SUPERSEDED" -> RolloutPhase.SUCCEEDED;
      case "FAILED", "CANCELLED" -> RolloutPhase.FAILED;
      // Values the documentation does not list count as in progress until the progress deadline.
      default -> IN_PROGRESS.contains(s) ? RolloutPhase.IN_PROGRESS : RolloutPhase.UNKNOWN;
    };
  }

  /**
   * Deploys made since {@code notBefore} for this spec, newest first, with the nonce each carries.
   * Filters where the API allows (build id; preview label); image deploys cannot be filtered by
   * agent (agent_name resolves through builds), so it pages newest first and stops at the first
   * record older than {@code notBefore}, however many pages that takes.
   */
  @Override
  public List<RemoteMatch> lookup(io.agentdeploy.operator.api.AgentDeploymentSpec spec, Instant notBefore) {
    var agentex = spec.getAgentex();
    Map<String, String> filters = new LinkedHashMap<>();
    if (agentex.getBuildId() != null) {
      filters.put("build_id", agentex.getBuildId());
    }
    if (agentex.getPreview() != null && agentex.getPreview().getLabel() != null) {
      filters.put("preview_label", agentex.getPreview().getLabel());
    }
    List<RemoteMatch> matches = new ArrayList<>();
    newestFirst(filters, item -> {
      Instant created = instant(item.path("created_at"));
      if (created != null && notBefore != null && created.isBefore(notBefore)) {
        return false;
      }
      matches.add(match(item, GONE.contains(status(item))));
      return true;
    });
    return matches;
  }

  /**
   * The agent's live production deploys (PENDING, RUNNING, or COMPLETED: serving), whoever made
   * them, newest first. No filter applies (a hand-made deploy may use any build or image), so it
   * pages newest first and stops at the first production deploy of the agent that completed
   * (COMPLETED, or SUPERSEDED by a newer one): every older one is superseded. A preview has a
   * release of its own and holds nothing.
   */
  @Override
  public List<RemoteMatch> liveHolders(io.agentdeploy.operator.api.AgentDeploymentSpec spec) {
    String agent = spec.getAgentex().getName();
    List<RemoteMatch> holders = new ArrayList<>();
    if (spec.getAgentex().getPreview() != null) {
      return holders;
    }
    newestFirst(Map.of(), item -> {
      boolean production = item.path("expires_at").isNull() || item.path("expires_at").isMissingNode();
      if (!production || !agent.equals(AgentexMapper.agentName(item.path("manifest_file").asText("")).orElse(null))) {
        return true;
      }
      String status = status(item);
      if (IN_PROGRESS.contains(status) || "COMPLETED".equals(status)) {
        holders.add(match(item, false));
      }
      return !"COMPLETED".equals(status) && !"SUPERSEDED".equals(status);
    });
    return holders;
  }

  /**
   * Hands the account's deploys to {@code visit}, newest first, page after page, until it answers
   * false, the list ends, or the server stops advancing the cursor.
   */
  private void newestFirst(Map<String, String> filters, java.util.function.Predicate<JsonNode> visit) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    String after = null;
    while (true) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("limit", Integer.toString(PAGE));
      query.put("sort_order", "desc");
      query.putAll(filters);
      if (after != null) {
        query.put("starting_after", after);
      }
      JsonNode list = read(transport.send(endpoint, ApiRequest.get("listDeploys", BASE, query)));
      boolean progressed = false;
      for (JsonNode item : list.path("items")) {
        String id = item.path("id").asText();
        progressed |= seen.add(id);
        after = id;
        if (!visit.test(item)) {
          return;
        }
      }
      if (!progressed || !list.path("has_more").asBoolean(false) || after == null) {
        return;
      }
    }
  }

  private static String status(JsonNode item) {
    return item.path("status").asText("").toUpperCase(Locale.ROOT);
  }

  private static RemoteMatch match(JsonNode item, boolean gone) {
    return new RemoteMatch(item.path("id").asText(),
        AgentexMapper.agentName(item.path("manifest_file").asText("")).orElse(null), instant(item.path("created_at")),
        gone, AgentexMapper.nonceOf(item.path("environment_config").asText("")));
  }

  @Override
  public boolean echoesNonce() {
    return true;
  }

  @Override
  public Applied create(DesiredDeployment desired, String nonce) {
    AgentexDesired d = (AgentexDesired) desired;
    JsonNode created = read(transport.send(endpoint, new ApiRequest("createDeploy", "POST", BASE, null,
        write(AgentexMapper.createBody(d, nonce)), Set.of())));
    String id = created.path("id").asText();
    return new Applied(id, id);
  }

  /** Never called: a change is a new deploy, made through {@link #create} with its own write-ahead record. */
  @Override
  public Applied update(String deployId, DesiredDeployment desired) {
    throw new UnsupportedOperationException("Agentex has no PATCH: a change is a new deploy");
  }

  @Override
  public DeleteOutcome delete(String deployId, boolean ignored) {
    try {
      transport.send(endpoint, new ApiRequest("deleteDeploy", "DELETE", path(deployId), null, null, Set.of()));
      return DeleteOutcome.DONE;
    } catch (RemoteException e) {
      // Already terminal, unknown, or a proxy's answer: the caller reads the deploy again to tell.
      if (DeleteOutcome.refusal(e)) {
        return DeleteOutcome.REFUSED;
      }
      throw e;
    }
  }

  @Override
  public void checkAccess() {
    transport.send(endpoint, ApiRequest.get("listDeploys", BASE, Map.of("limit", "1")));
  }

  @Override
  public java.util.Optional<java.time.Duration> sinceLastAnswer() {
    return transport.sinceLastAnswer(endpoint);
  }


  private static String path(String deployId) {
    return BASE + "/" + URLEncoder.encode(deployId, StandardCharsets.UTF_8);
  }

  private static List<RemoteEvent> events(JsonNode array) {
    List<RemoteEvent> events = new ArrayList<>();
    for (JsonNode e : array) {
      // Reported as Events and, for a warning, in the Ready message: bounded like any text from a remote.
      events.add(new RemoteEvent(e.path("type").asText(null),
          RemoteText.bounded(e.path("reason").asText(null), RemoteText.MAX_WORD),
          RemoteText.bounded(e.path("message").asText(null), RemoteText.MAX_MESSAGE), instant(e.path("timestamp"))));
    }
    return events;
  }

  private static JsonNode read(ApiResponse response) {
    try {
      JsonNode node = AgentexMapper.JSON.readTree(response.body() == null ? "" : response.body());
      return node == null ? AgentexMapper.JSON.createObjectNode() : node;
    } catch (JsonProcessingException e) {
      throw new RemoteException(Kind.RETRYABLE, response.status(), "agentex answered with a body that is not JSON");
    }
  }

  private static String write(JsonNode body) {
    try {
      return AgentexMapper.JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Instant instant(JsonNode value) {
    if (value == null || !value.isTextual()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.asText()).toInstant();
    } catch (RuntimeException e) {
      return null;
    }
  }
}

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
  private static final int MAX_PAGES = 5;

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
  public boolean updateCreatesNewRecord() {
    return true;
  }

  @Override
  public Observation observe(String deployId, DesiredDeployment desired) {
    JsonNode deploy;
    try {
      deploy = read(transport.send(endpoint, ApiRequest.get("getDeploy", path(deployId), null)));
    } catch (RemoteException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return Observation.absent(deployId);
      }
      throw e;
    }
    String status = deploy.path("status").asText("UNKNOWN").toUpperCase(Locale.ROOT);
    Instant expiresAt = instant(deploy.path("expires_at"));
    boolean expired = "DELETED".equals(status) && expiresAt != null && !Instant.now().isBefore(expiresAt);
    List<RemoteEvent> events = events(deploy.path("deploy_events"));
    if (desired == null ? GONE.contains(status) : "DELETED".equals(status)) {
      return new Observation(false, false, expired, deployId, instant(deploy.path("created_at")), List.of(), null,
          null, expiresAt, events);
    }
    // Superseded by a deploy this resource did not make: the remote no longer runs the spec.
    List<String> drift = "SUPERSEDED".equals(status) ? List.of("deploy superseded by another deploy") : List.of();
    RolloutPhase phase = phaseOf(status);
    Rollout rollout = new Rollout(deployId, phase == RolloutPhase.SUCCEEDED ? deployId : null, status, phase);
    return new Observation(true, false, false, deployId, instant(deploy.path("created_at")), drift, rollout, null,
        expiresAt, events);
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
   * Deploys with exactly the desired content, newest first. The list cannot filter image-based
   * deploys by agent name, so it pages through the newest ones and compares the texts.
   */
  @Override
  public List<RemoteMatch> findByName(DesiredDeployment desired) {
    AgentexDesired d = (AgentexDesired) desired;
    List<RemoteMatch> matches = new ArrayList<>();
    String after = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("limit", Integer.toString(PAGE));
      query.put("sort_order", "desc");
      if (after != null) {
        query.put("starting_after", after);
      }
      JsonNode list = read(transport.send(endpoint, ApiRequest.get("listDeploys", BASE, query)));
      for (JsonNode item : list.path("items")) {
        after = item.path("id").asText();
        String status = item.path("status").asText("").toUpperCase(Locale.ROOT);
        if (d.manifest().equals(item.path("manifest_file").asText()) && d.environment().equals(
            item.path("environment_config").asText()) && sameImage(d, item) && !GONE.contains(status)) {
          matches.add(new RemoteMatch(after, d.name(), instant(item.path("created_at")), false));
        }
      }
      if (!list.path("has_more").asBoolean(false) || after == null) {
        break;
      }
    }
    return matches;
  }

  private static boolean sameImage(AgentexDesired d, JsonNode item) {
    if (d.buildId() != null) {
      return d.buildId().equals(item.path("build_id").asText(null));
    }
    // The record does not echo the image name and tag; the texts (and build_id null) identify it.
    return item.path("build_id").isNull() || item.path("build_id").isMissingNode();
  }

  @Override
  public Applied create(DesiredDeployment desired) {
    AgentexDesired d = (AgentexDesired) desired;
    JsonNode created = read(transport.send(endpoint, new ApiRequest("createDeploy", "POST", BASE, null,
        write(AgentexMapper.createBody(d)), Set.of())));
    String id = created.path("id").asText();
    return new Applied(id, id);
  }

  /** A new deploy: it supersedes the current production deploy of the release when it completes. */
  @Override
  public Applied update(String deployId, DesiredDeployment desired) {
    return create(desired);
  }

  @Override
  public DeleteOutcome delete(String deployId, boolean ignored) {
    try {
      transport.send(endpoint, new ApiRequest("deleteDeploy", "DELETE", path(deployId), null, null, Set.of()));
      return DeleteOutcome.GONE;
    } catch (RemoteException e) {
      // 404: gone; a client error: the record is already terminal (DELETED, CANCELLED, SUPERSEDED).
      if (e.kind() == Kind.NOT_FOUND || e.kind() == Kind.INVALID) {
        return DeleteOutcome.GONE;
      }
      throw e;
    }
  }

  @Override
  public void checkAccess() {
    transport.send(endpoint, ApiRequest.get("listDeploys", BASE, Map.of("limit", "1")));
  }

  private static String path(String deployId) {
    return BASE + "/" + URLEncoder.encode(deployId, StandardCharsets.UTF_8);
  }

  private static List<RemoteEvent> events(JsonNode array) {
    List<RemoteEvent> events = new ArrayList<>();
    for (JsonNode e : array) {
      events.add(new RemoteEvent(e.path("type").asText(null), e.path("reason").asText(null),
          e.path("message").asText(null), instant(e.path("timestamp"))));
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

package io.agentdeploy.operator.remote.langsmith;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.remote.Applied;
import io.agentdeploy.operator.remote.DeleteOutcome;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.DriftedValues;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.RemoteException.Kind;
import io.agentdeploy.operator.remote.RemoteMatch;
import io.agentdeploy.operator.remote.Rollout;
import io.agentdeploy.operator.remote.RolloutPhase;
import io.agentdeploy.operator.remote.http.ApiRequest;
import io.agentdeploy.operator.remote.http.ApiResponse;
import io.agentdeploy.operator.remote.http.CallScope;
import io.agentdeploy.operator.remote.http.Endpoint;
import io.agentdeploy.operator.remote.http.HttpTransport;
import io.agentdeploy.operator.remote.http.RemoteText;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Every call this operator makes to the LangSmith Deployment Control Plane API v2. */
public final class LangSmithClient implements RemoteDeploymentClient {
  static final String PROVIDER = "langsmith";
  private static final int PAGE = 100;

  private final HttpTransport transport;
  private final Endpoint endpoint;
  /** The account's batcher of deletes, or null to delete one by one. */
  private final DeleteBatcher batcher;
  /** The account's deletion reads that answered 404 and wait for their list; null to read again. */
  private final UnlistedNotFounds unlistedNotFounds;
  /** What creates through this client answered, by id: the first observation right after uses it. */
  private final Map<String, JsonNode> createdAnswers = new java.util.concurrent.ConcurrentHashMap<>();
  /** Ids a list of their bulk delete's batch, made right after it, answered 200 without. */
  private final Set<String> unlistedAfterDelete = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public LangSmithClient(HttpTransport transport, Endpoint endpoint) {
    this(transport, endpoint, null);
  }

  /** @param bulk batches this account's deletes (see {@link DeleteBatcher}); null deletes one by one */
  public LangSmithClient(HttpTransport transport, Endpoint endpoint, BulkDeletes bulk) {
    this.transport = transport;
    this.endpoint = endpoint;
    this.batcher = bulk == null ? null : bulk.forAccount(endpoint);
    this.unlistedNotFounds = bulk == null ? null : bulk.unlistedNotFoundsOf(endpoint);
  }

  @Override
  public Observation observe(String deploymentId, DesiredDeployment desired) {
    JsonNode created = createdAnswers.remove(deploymentId);
    if (created != null && desired != null) {
      // The create's own answer is the deployment as it stands right after it: no GET to repeat it.
      return observation(deploymentId, created, desired, null);
    }
    boolean deletion = desired == null;
    if (deletion && unlistedNotFounds != null && unlistedNotFounds.pending(deploymentId)) {
      // This deletion's read already had the API's 404; only its list was not answered.
      return listedHalf(deploymentId, true);
    }
    JsonNode deployment;
    try {
      deployment = read(transport.send(endpoint, ApiRequest.get("getDeployment", path(deploymentId), null)));
    } catch (RemoteException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return confirmedAbsent(deploymentId, e, deletion);
      }
      throw e;
    }
    return observation(deploymentId, deployment, desired, null);
  }

  /**
   * The observation of a deployment read (alone or in a list); the newest revision is read unless
   * {@code known} is the settled answer for that same revision.
   */
  Observation observation(String deploymentId, JsonNode deployment, DesiredDeployment desired, Rollout known) {
    boolean deleting = LangSmithFields.AWAITING_DELETE.equals(deployment.path("status").asText());
    String latest = text(deployment, "latest_revision_id");
    String active = text(deployment, "active_revision_id");
    Rollout rollout = null;
    // Without a desired state (deletion) only existence matters: skip the revision read.
    if (latest != null && !deleting && desired != null) {
      boolean settled = known != null && latest.equals(known.revisionId())
          && (known.phase() == RolloutPhase.SUCCEEDED || known.phase() == RolloutPhase.FAILED);
      rollout = settled ? new Rollout(latest, active, known.status(), known.phase())
          : rollout(deploymentId, latest, active);
    }
    DriftedValues drift = desired instanceof LangSmithDesired d ? LangSmithDrift.between(d, deployment)
        : DriftedValues.NONE;
    return new Observation(true, Observation.Absence.PRESENT, deleting, false, deploymentId,
        instant(deployment, "created_at"), drift.fields(), rollout, text(deployment.path("source_config"), "custom_url"),
        null, List.of(), null, null, drift);
  }

  /**
   * A 404 counts as "gone" only when it is the API's own answer (the documented detail naming
   * the id; a proxy's HTML page or FastAPI's bare "Not Found" for an unknown route is not) and a
   * list filtered by the id answers 200 without it (or already did, for the bulk delete the id was
   * in, right after it was accepted). Anything else is a transient failure.
   */
  private Observation confirmedAbsent(String deploymentId, RemoteException notFound, boolean deletion) {
    if (!apiNotFound(notFound, deploymentId)) {
      throw new RemoteException(Kind.RETRYABLE, 404, PROVIDER + " getDeployment answered 404 without the API's "
          + "not-found body for " + deploymentId + " (a proxy or ingress page?); not taken as a deletion");
    }
    if (unlistedAfterDelete.contains(deploymentId.toLowerCase(Locale.ROOT))) {
      // The list half was already answered for the whole bulk delete this id was in.
      return Observation.absent(deploymentId, Observation.Absence.CONFIRMED);
    }
    return listedHalf(deploymentId, deletion);
  }

  /**
   * The list half of a 404's confirmation, sent after the 404. A deletion whose list is not sent or
   * not answered keeps its 404 ({@link UnlistedNotFounds}): its retry sends only the list.
   */
  private Observation listedHalf(String deploymentId, boolean deletion) {
    if (deletion && unlistedNotFounds != null) {
      // Should the list wait for a token, the retry sends only the list: it needs no token for the read.
      CallScope.kept();
    }
    List<JsonNode> listed;
    try {
      listed = listByIds(List.of(deploymentId));
    } catch (RemoteException e) {
      if (deletion && unlistedNotFounds != null) {
        unlistedNotFounds.remember(deploymentId);
      }
      throw e;
    }
    if (unlistedNotFounds != null) {
      unlistedNotFounds.forget(deploymentId); // answered: whatever it says, the next look reads again
    }
    if (listed.stream().anyMatch(d -> !deploymentId.equalsIgnoreCase(d.path("id").asText()))) {
      throw new RemoteException(Kind.RETRYABLE, 200, PROVIDER + " listDeployments ignored deployment_ids; cannot "
          + "confirm that " + deploymentId + " is gone");
    }
    if (!listed.isEmpty()) {
      throw new RemoteException(Kind.RETRYABLE, 200, PROVIDER + " lists " + deploymentId
          + " although reading it answered 404; looking again later");
    }
    return Observation.absent(deploymentId, Observation.Absence.CONFIRMED);
  }

  private Rollout rollout(String deploymentId, String revisionId, String activeRevisionId) {
    try {
      JsonNode revision = read(transport.send(endpoint,
          ApiRequest.get("getRevision", path(deploymentId) + "/revisions/" + revisionPath(revisionId), null)));
      // Shown in status as-is: bounded like any text from a remote.
      String status = RemoteText.bounded(revision.path("status").asText("UNKNOWN"), RemoteText.MAX_WORD);
      return new Rollout(revisionId, activeRevisionId, status, phaseOf(status));
    } catch (RemoteException e) {
      if (e.kind() == Kind.NOT_FOUND && apiNotFound(e, revisionId)) {
        // The revision list can lag the deployment record; read it as still in progress.
        return new Rollout(revisionId, activeRevisionId, "UNKNOWN", RolloutPhase.UNKNOWN);
      }
      // A proxy's or router's 404 says nothing about the revision: retry, keep what status says.
      throw e.kind() == Kind.NOT_FOUND ? new RemoteException(Kind.RETRYABLE, 404, PROVIDER + " getRevision answered "
          + "404 without the API's not-found body for " + revisionId) : e;
    }
  }

  /** The API's own not-found answer names the id; a proxy page or an unknown route does not. */
  private static boolean apiNotFound(RemoteException e, String id) {
    return e.apiDetail().map(d -> d.toLowerCase(Locale.ROOT).contains(id.toLowerCase(Locale.ROOT))).orElse(false);
  }

  static RolloutPhase phaseOf(String status) {
    String s = status.toUpperCase(Locale.ROOT);
    if (LangSmithFields.DEPLOYED.equals(s)) {
      return RolloutPhase.SUCCEEDED;
    }
    if (s.contains("FAILED") || LangSmithFields.STOPPED.contains(s)) {
      return RolloutPhase.FAILED;
    }
    return LangSmithFields.IN_PROGRESS.contains(s) ? RolloutPhase.IN_PROGRESS : RolloutPhase.UNKNOWN;
  }

  @Override
  public java.util.Optional<io.agentdeploy.operator.remote.BatchReads> batchReads() {
    return java.util.Optional.of(new LangSmithBatchReads(this));
  }

  @Override
  public boolean namesAreUnique() {
    return true;
  }

  @Override
  public boolean echoesNonce() {
    return false;
  }

  /** Names are unique per workspace: every deployment with the spec's name, whenever made. */
  @Override
  public List<RemoteMatch> lookup(io.agentdeploy.operator.api.AgentDeploymentSpec spec, Instant notBefore) {
    return findByName(spec.getLangsmith().getName());
  }

  /** Deployments named exactly {@code name} (the API filters by substring). */
  public List<RemoteMatch> findByName(String name) {
    List<RemoteMatch> matches = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int offset = 0;
    while (true) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("name_contains", name);
      query.put("limit", Integer.toString(PAGE));
      query.put("offset", Integer.toString(offset));
      JsonNode page = read(transport.send(endpoint, ApiRequest.get("listDeployments", "/v2/deployments", query)));
      JsonNode resources = page.path("resources");
      for (JsonNode d : resources) {
        if (name.equals(d.path("name").asText()) && seen.add(d.path("id").asText())) {
          matches.add(new RemoteMatch(d.path("id").asText(), name, instant(d, "created_at"),
              LangSmithFields.AWAITING_DELETE.equals(d.path("status").asText()), null));
        }
      }
      int next = page.path("offset").asInt(offset + resources.size());
      // Stop on a short page, and on a server that does not advance the offset (no endless loop).
      if (resources.size() < PAGE || next <= offset) {
        return matches;
      }
      offset = next;
    }
  }

  /**
   * Reads many deployments in one call ({@code deployment_ids}); absent ids are simply not in
   * the answer. For batched reads across resources of one account.
   */
  public List<JsonNode> listByIds(java.util.Collection<String> deploymentIds) {
    List<JsonNode> out = new ArrayList<>();
    List<String> ids = List.copyOf(deploymentIds);
    for (int from = 0; from < ids.size(); from += PAGE) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + PAGE));
      chunk.forEach(LangSmithClient::path);
      Map<String, String> query = new LinkedHashMap<>();
      query.put("deployment_ids", String.join(",", chunk));
      query.put("limit", Integer.toString(PAGE));
      read(transport.send(endpoint, ApiRequest.get("listDeployments", "/v2/deployments", query)))
          .path("resources").forEach(out::add);
    }
    return out;
  }

  /** The newest revisions of a deployment, newest first (at most {@code limit}, 1..100). */
  public List<JsonNode> listRevisions(String deploymentId, int limit) {
    List<JsonNode> out = new ArrayList<>();
    read(transport.send(endpoint, ApiRequest.get("listRevisions", path(deploymentId) + "/revisions",
        Map.of("limit", Integer.toString(Math.max(1, Math.min(PAGE, limit))))))).path("resources").forEach(out::add);
    return out;
  }

  @Override
  public Applied create(DesiredDeployment desired, String nonce) {
    LangSmithDesired d = (LangSmithDesired) desired;
    JsonNode created = read(transport.send(endpoint, new ApiRequest("createDeployment", "POST", "/v2/deployments",
        null, write(LangSmithMapper.createBody(d)), d.sensitiveValues())));
    String id = created.path("id").asText();
    if (!id.isEmpty() && created.hasNonNull("latest_revision_id")) {
      createdAnswers.put(id, created);
    }
    return new Applied(id, text(created, "latest_revision_id"));
  }

  @Override
  public Applied update(String deploymentId, DesiredDeployment desired) {
    LangSmithDesired d = (LangSmithDesired) desired;
    try {
      JsonNode patched = read(transport.send(endpoint, new ApiRequest("patchDeployment", "PATCH", path(deploymentId),
          null, write(LangSmithMapper.patchBody(d)), d.sensitiveValues())));
      return new Applied(deploymentId, text(patched, "latest_revision_id"));
    } catch (RemoteException e) {
      throw e.httpStatus() == 400 ? patchRefused(deploymentId, e) : e;
    }
  }

  /**
   * A 400 on PATCH (or redeploy) is either "a revision is still rolling out" (passes by itself) or a real
   * refusal. The answer's text is not a contract, so one observation decides: the latest revision
   * still in progress (or not yet serving) makes it {@link Kind#ROLLOUT_IN_PROGRESS}, anything else
   * {@link Kind#INVALID}. When that read fails, the error is transient and the PATCH is sent again
   * later. A 409 stays {@link Kind#CONFLICT} (retryable), a 422 {@link Kind#INVALID}.
   */
  private RemoteException patchRefused(String deploymentId, RemoteException refused) {
    try {
      JsonNode deployment = read(transport.send(endpoint, ApiRequest.get("getDeployment", path(deploymentId), null)));
      String latest = text(deployment, "latest_revision_id");
      if (latest == null) {
        return refused.as(Kind.INVALID);
      }
      Rollout rollout = rollout(deploymentId, latest, text(deployment, "active_revision_id"));
      boolean settled = rollout.phase() == RolloutPhase.FAILED || rollout.isLive();
      return refused.as(settled ? Kind.INVALID : Kind.ROLLOUT_IN_PROGRESS);
    } catch (RemoteException unknown) {
      return new RemoteException(Kind.RETRYABLE, refused.httpStatus(), refused.getMessage()
          + " (whether a rollout was in progress could not be read: " + unknown.getMessage() + ")");
    }
  }

  @Override
  public boolean canRedeploy() {
    return true;
  }

  @Override
  public boolean revisionExists(String deploymentId, String revisionId) {
    try {
      read(transport.send(endpoint, ApiRequest.get("getRevision", path(deploymentId) + "/revisions/"
          + revisionPath(revisionId), null)));
      return true;
    } catch (RemoteException e) {
      if (e.kind() == Kind.NOT_FOUND && apiNotFound(e, revisionId)) {
        return false;
      }
      throw e.kind() == Kind.NOT_FOUND ? new RemoteException(Kind.RETRYABLE, 404, PROVIDER + " getRevision answered "
          + "404 without the API's not-found body for " + revisionId) : e;
    }
  }

  /**
   * No body; the answer is the deployment, whose latest revision is the one rolling out now. A 400
   * is read like a PATCH's: a rollout in progress waits, anything else is a refusal.
   */
  @Override
  public Applied redeploy(String deploymentId, String revisionId) {
    try {
      JsonNode deployment = read(transport.send(endpoint, new ApiRequest("redeployRevision", "POST",
          path(deploymentId) + "/revisions/" + revisionPath(revisionId) + "/redeploy", null, null, Set.of())));
      return new Applied(deploymentId, text(deployment, "latest_revision_id"));
    } catch (RemoteException e) {
      throw e.httpStatus() == 400 ? patchRefused(deploymentId, e) : e;
    }
  }

  /**
   * A revision id as a path segment. Every revision id comes from the remote (an answer, or status
   * and history that recorded one), so one that is not a LangSmith id is an answer the client cannot
   * use, not a refusal of the spec: UNEXPECTED, without the id's text (it is the remote's, unbounded).
   */
  private static String revisionPath(String revisionId) {
    if (!revisionId.matches("[0-9a-fA-F-]{1,64}")) {
      throw new RemoteException(Kind.UNEXPECTED, 0, PROVIDER + " answered a revision id that is not a LangSmith id "
          + "(hexadecimal digits and dashes); it cannot be read");
    }
    return revisionId;
  }

  /**
   * Joins the account's bulk delete unless the tracing project goes too (the bulk endpoint has no
   * such parameter) or the control plane has no bulk route; an id the bulk call did not take with a
   * 200 is deleted alone. Either way the deployment counts as gone only once a read confirms it.
   */
  @Override
  public DeleteOutcome delete(String deploymentId, boolean deleteTracingProject) {
    path(deploymentId); // a malformed id never joins a batch
    if (!deleteTracingProject && batcher != null) {
      DeleteBatcher.Answer answer = batcher.delete(transport, endpoint, deploymentId);
      if (answer == DeleteBatcher.Answer.ACCEPTED_UNLISTED) {
        unlistedAfterDelete.add(deploymentId.toLowerCase(Locale.ROOT));
      }
      if (answer != DeleteBatcher.Answer.PER_ITEM) {
        return DeleteOutcome.ACCEPTED;
      }
    }
    return deleteOne(deploymentId, deleteTracingProject);
  }

  private DeleteOutcome deleteOne(String deploymentId, boolean deleteTracingProject) {
    try {
      transport.send(endpoint, new ApiRequest("deleteDeployment", "DELETE", path(deploymentId),
          Map.of("delete_tracing_project", Boolean.toString(deleteTracingProject)), null, Set.of()));
      return DeleteOutcome.ACCEPTED;
    } catch (RemoteException e) {
      // Not found, or refused (any 4xx but throttling and credentials): only a read that confirms
      // absence counts the deployment as gone, so the caller observes it again and decides.
      if (DeleteOutcome.refusal(e)) {
        return DeleteOutcome.REFUSED;
      }
      throw e;
    }
  }

  @Override
  public void checkAccess() {
    transport.send(endpoint, ApiRequest.get("listDeployments", "/v2/deployments", Map.of("limit", "1")));
  }

  @Override
  public java.util.Optional<java.time.Duration> sinceLastAnswer() {
    return transport.sinceLastAnswer(endpoint);
  }


  private static String path(String deploymentId) {
    if (!deploymentId.matches("[0-9a-fA-F-]{1,64}")) {
      throw new RemoteException(Kind.INVALID, 0, "not a LangSmith deployment id: " + deploymentId);
    }
    return "/v2/deployments/" + deploymentId;
  }

  private static JsonNode read(ApiResponse response) {
    try {
      JsonNode node = LangSmithMapper.WIRE.readTree(response.body() == null ? "" : response.body());
      return node == null ? LangSmithMapper.WIRE.createObjectNode() : node;
    } catch (JsonProcessingException e) {
      throw new RemoteException(Kind.RETRYABLE, response.status(), "langsmith answered with a body that is not JSON");
    }
  }

  private static String write(ObjectNode body) {
    try {
      return LangSmithMapper.WIRE.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  private static Instant instant(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (RuntimeException noOffset) {
      try {
        return java.time.LocalDateTime.parse(value).toInstant(java.time.ZoneOffset.UTC);
      } catch (RuntimeException unparseable) {
        return null;
      }
    }
  }
}

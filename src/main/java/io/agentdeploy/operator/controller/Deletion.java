package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.DeletionPolicy;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.DeleteOutcome;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.RemoteMatch;
import io.agentdeploy.operator.remote.SpecProblem;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what a resource owns on the remote and says when the finalizer may go. Independent of
 * how it is called (JOSDK's cleanup today, or a reconcile that sees a deletion timestamp).
 */
final class Deletion {
  private static final Logger LOG = LoggerFactory.getLogger(Deletion.class);

  /** The finalizer may be removed, or the deletion waits and is looked at again. */
  sealed interface Result {
    record Released() implements Result {}

    record Pending(Duration requeue) implements Result {}
  }

  /** Builds a client for the resource's control plane, even when it is not ready. */
  @FunctionalInterface
  interface ClientFactory {
    RemoteDeploymentClient clientFor(ReconcilePass p) throws SpecProblem;
  }

  /** Resolves the desired state, for the lookup of a create whose answer was lost. */
  @FunctionalInterface
  interface DesiredFactory {
    DesiredDeployment desiredFor(ReconcilePass p) throws SpecProblem;
  }

  private final OperatorConfig config;
  private final EventRecorder events;
  private final Backoff backoff;
  private final ClientFactory clients;
  private final DesiredFactory desired;

  Deletion(OperatorConfig config, EventRecorder events, Backoff backoff, ClientFactory clients,
      DesiredFactory desired) {
    this.config = config;
    this.events = events;
    this.backoff = backoff;
    this.clients = clients;
    this.desired = desired;
  }

  Result run(ReconcilePass p) {
    AgentDeployment resource = p.resource;
    if (resource.getSpec().effectiveDeletionPolicy() == DeletionPolicy.Orphan) {
      events.normal(resource, "Orphaned", "deletionPolicy is Orphan: remote deployment "
          + Optional.ofNullable(p.before.getDeploymentId()).orElse("(none)") + " is left untouched");
      return new Result.Released();
    }
    try {
      List<String> owned = Ownership.ownedIds(p.before);
      Instant intent = Ownership.intentOf(resource);
      if (owned.isEmpty() && intent == null) {
        return new Result.Released();
      }
      RemoteDeploymentClient client = clients.clientFor(p);
      if (owned.isEmpty()) {
        // A create may have reached the remote without its answer reaching us.
        Optional<RemoteMatch> ours = lostCreate(p, client, intent);
        if (ours.isEmpty()) {
          return new Result.Released();
        }
        owned = List.of(ours.get().deploymentId());
      }
      return deleteAll(p, client, owned);
    } catch (SpecProblem problem) {
      String message = "cannot delete the remote deployment: " + problem.getMessage()
          + "; restore it, or set spec.deletionPolicy: Orphan to release this resource";
      p.draft.synced(false, problem.reason(), message);
      p.draft.phase("Deleting");
      events.warning(resource, "DeleteBlocked", message);
      return new Result.Pending(backoff.next(p.key()));
    } catch (RemoteException e) {
      String message = "deleting the remote deployment failed: " + e.getMessage();
      p.draft.synced(false, e.kind() == RemoteException.Kind.RATE_LIMITED ? "RateLimited" : "DeleteFailed", message);
      p.draft.phase("Deleting");
      events.warning(resource, "DeleteFailed", message);
      Duration wait = e.retryAfter().filter(d -> e.kind() == RemoteException.Kind.RATE_LIMITED)
          .orElseGet(() -> backoff.next(p.key()));
      return new Result.Pending(wait);
    }
  }

  private Result deleteAll(ReconcilePass p, RemoteDeploymentClient client, List<String> owned) {
    AgentDeployment resource = p.resource;
    boolean tracing = resource.getSpec().getLangsmith() != null
        && Boolean.TRUE.equals(resource.getSpec().getLangsmith().getDeleteTracingProject());
    List<String> pending = new ArrayList<>();
    for (String id : owned) {
      Observation observation = client.observe(id, null);
      if (!observation.exists()) {
        continue;
      }
      if (observation.deleting()) {
        pending.add(id);
      } else if (client.delete(id, tracing) != DeleteOutcome.GONE) {
        events.normal(resource, "Deleting", "asked the control plane to delete remote deployment " + id);
        pending.add(id);
      }
    }
    if (pending.isEmpty()) {
      events.normal(resource, "Deleted", "remote deployment" + (owned.size() > 1 ? "s " : " ")
          + String.join(", ", owned) + (owned.size() > 1 ? " are" : " is") + " gone");
      return new Result.Released();
    }
    String deploymentId = String.join(", ", pending);
    Duration elapsed = deletionElapsed(resource, p.now);
    if (elapsed.compareTo(config.deleteWarnAfter()) > 0) {
      events.warning(resource, "DeleteStuck", "remote deployment " + deploymentId + " is still being deleted after "
          + elapsed.toMinutes() + " minutes; check the control plane, or set spec.deletionPolicy: Orphan to "
          + "release this resource and leave the remote deployment as it is");
    }
    String message = "waiting for the control plane to finish deleting " + deploymentId;
    p.draft.ready(false, "Deleting", message);
    p.draft.synced(true, "Deleting", message);
    p.draft.phase("Deleting");
    backoff.reset(p.key());
    return new Result.Pending(RolloutFollower.clamp(elapsed, config.pollInitial(), config.pollMax()));
  }

  /** A deployment created after the recorded intent whose answer was lost, if the spec still resolves. */
  private Optional<RemoteMatch> lostCreate(ReconcilePass p, RemoteDeploymentClient client, Instant intent) {
    DesiredDeployment state;
    try {
      state = desired.desiredFor(p);
    } catch (SpecProblem unresolvable) {
      LOG.warn("{}: cannot look for a lost create ({}); nothing recorded to delete", p.ref(),
          unresolvable.getMessage());
      return Optional.empty();
    }
    return client.findByName(state).stream()
        .filter(m -> m.createdAt() != null && !m.createdAt().isBefore(intent.minus(config.adoptSkew())))
        .filter(m -> Ownership.holderOf(p, m.deploymentId()).isEmpty()).findFirst();
  }

  private static Duration deletionElapsed(AgentDeployment resource, Instant now) {
    String ts = resource.getMetadata().getDeletionTimestamp();
    if (ts == null) {
      return Duration.ZERO;
    }
    try {
      return Duration.between(OffsetDateTime.parse(ts).toInstant(), now);
    } catch (RuntimeException unparseable) {
      return Duration.ZERO;
    }
  }
}

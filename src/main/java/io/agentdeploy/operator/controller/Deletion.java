package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.DeletionPolicy;
import io.agentdeploy.operator.api.WriteAheadRecord;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.DeleteOutcome;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.RemoteMatch;
import io.agentdeploy.operator.remote.SpecProblem;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes what a resource owns on the remote and says when the finalizer may go: only once every
 * object it made reads gone by the ownership rules (a confirmed not-found, or a terminal state),
 * never on a single 404. Called by the reconcile that sees a deletion timestamp ({@link Cleanup}).
 */
final class Deletion {
  /** The finalizer may be removed, or the deletion waits and is looked at again. */
  sealed interface Result {
    record Released() implements Result {}

    record Pending(Duration requeue) implements Result {}
  }

  /** Resolves where the resource's remote calls go, even when its ControlPlane is not ready. */
  @FunctionalInterface
  interface TargetFactory {
    Target targetFor(ReconcilePass p) throws SpecProblem;
  }

  private final OperatorConfig config;
  private final EventRecorder events;
  private final Backoff backoff;
  private final NoProgress noProgress;
  private final TargetFactory targets;
  private final AccountGuard accounts;
  private final WriteAhead writeAhead;
  private final ControlPlaneUsers users;

  /** Event topics of a deletion: each is reported once until its reason changes (see {@link EventRecorder#ongoing}). */
  private static final String TROUBLE = "deletion-trouble";
  private static final String STUCK = "deletion-stuck";

  Deletion(OperatorConfig config, EventRecorder events, Backoff backoff, NoProgress noProgress, TargetFactory targets,
      AccountGuard accounts, ControlPlaneUsers users) {
    this.users = users;
    this.config = config;
    this.events = events;
    this.backoff = backoff;
    this.noProgress = noProgress;
    this.targets = targets;
    this.accounts = accounts;
    this.writeAhead = new WriteAhead(config);
  }

  Result run(ReconcilePass p) {
    AgentDeployment resource = p.resource;
    users.leaving(resource); // its control plane, if being deleted, waits for this and looks again
    if (resource.getSpec().effectiveDeletionPolicy() == DeletionPolicy.Orphan) {
      events.normal(resource, "Orphaned", "deletionPolicy is Orphan: remote deployment "
          + Optional.ofNullable(p.before.getDeploymentId()).orElse("(none)") + " is left untouched");
      return new Result.Released();
    }
    try {
      Set<String> owned = new LinkedHashSet<>(Ownership.ownedIds(p.draft.status, p.recordPerChange));
      Optional<WriteAheadRecord> open = WriteAhead.open(p).filter(r -> WriteAhead.CREATE.equals(r.getOperation()));
      if (owned.isEmpty() && open.isEmpty()) {
        return new Result.Released();
      }
      p.target = targets.targetFor(p);
      if (accounts.blocked(p)) {
        p.draft.phase("Deleting");
        return new Result.Pending(accounts.report(p, String.join(", ", owned), true));
      }
      if (open.isPresent()) {
        // A create may have reached the remote without its answer reaching us: it is ours to delete.
        owned.addAll(lostCreates(p, open.get()));
        if (WriteAhead.mayBeInFlight(open.get(), p.now)) {
          p.draft.synced(true, "Deleting", "waiting for a create that may still be in flight before deleting");
          p.draft.phase("Deleting");
          return new Result.Pending(Duration.between(p.now, WriteAhead.inFlightUntil(open.get())).plusMillis(50));
        }
      }
      return deleteAll(p, List.copyOf(owned));
    } catch (SpecProblem problem) {
      String message = "cannot delete the remote deployment: " + problem.getMessage()
          + "; restore it, or set spec.deletionPolicy: Orphan to release this resource";
      p.draft.synced(false, problem.reason(), message);
      p.draft.phase("Deleting");
      events.ongoing(resource, TROUBLE, EventRecorder.Type.Warning, "DeleteBlocked", message);
      return new Result.Pending(backoff.next(p.key()));
    } catch (RemoteException e) {
      if (Throttled.reserved(e)) {
        return new Result.Pending(Throttled.giveBack(p, e));
      }
      boolean limited = e.kind() == RemoteException.Kind.RATE_LIMITED;
      // The condition names the trouble, not this attempt's wait or request id (those go to the event and log).
      p.draft.synced(false, limited ? "RateLimited" : "DeleteFailed", limited
          ? "deleting the remote deployment is rate limited by the control plane; retrying later"
          : Failures.deleteFailed(e));
      p.draft.phase("Deleting");
      events.ongoing(resource, TROUBLE, EventRecorder.Type.Warning, "DeleteFailed",
          "deleting the remote deployment failed: " + e.getMessage()
              + e.requestId().map(id -> " (request id " + id + ")").orElse(""));
      Duration wait = e.retryAfter().filter(d -> e.kind() == RemoteException.Kind.RATE_LIMITED)
          .orElseGet(() -> backoff.next(p.key()));
      return new Result.Pending(wait);
    }
  }

  /**
   * On a fast remote an accepted delete is done by the time it is answered: one read (confirmed as
   * any absence is) saves a pass and the Deleting status write. A deployment still there, or a read
   * that fails, leaves the delete pending as before.
   */
  private boolean goneNow(ReconcilePass p, RemoteDeploymentClient client, String id) {
    try {
      Observation after = client.observe(id, null);
      return !after.exists() && (after.absence() == Observation.Absence.PRESENT
          || (after.absence() == Observation.Absence.CONFIRMED && accounts.trusted(p)));
    } catch (RemoteException e) {
      if (Throttled.reserved(e)) {
        throw e;
      }
      return false;
    }
  }

  /** What the open create record made, found by name (unique names) or nonce, inside its window. */
  private List<String> lostCreates(ReconcilePass p, WriteAheadRecord record) {
    RemoteDeploymentClient client = p.target.client();
    if (record.getAccount() != null && !record.getAccount().equals(p.target.account().display())) {
      return List.of();
    }
    List<RemoteMatch> found = client.lookup(p.resource.getSpec(), writeAhead.windowStart(record));
    return found.stream().filter(m -> !m.deleting() && writeAhead.inWindow(record, m.createdAt()))
        .filter(m -> !client.echoesNonce() || (record.getNonce() != null && record.getNonce().equals(m.nonce())))
        .filter(m -> Ownership.holderOf(p, m.deploymentId()).isEmpty()).map(RemoteMatch::deploymentId).toList();
  }

  private Result deleteAll(ReconcilePass p, List<String> owned) {
    AgentDeployment resource = p.resource;
    RemoteDeploymentClient client = p.target.client();
    boolean tracing = p.adapter.deletesTracingProject(resource.getSpec());
    List<String> pending = new ArrayList<>();
    boolean refused = false;
    for (String id : owned) {
      // Live at the last look: DELETE first; status says Deleting even if the read after it waits (no 2nd DELETE).
      boolean direct = servedLastSeen(p, owned, id);
      if (direct) {
        p.draft.phase("Deleting");
      }
      Observation observation = direct ? null : client.observe(id, null);
      if (observation != null && !observation.exists()) {
        if (observation.absence() == Observation.Absence.PRESENT) {
          History.outcome(p.draft.status, id, "DELETED", false);
          continue;
        }
        if (!accounts.absenceConfirmed(p, observation)) {
          pending.add(id);
          continue;
        }
        if (!accounts.trusted(p)) {
          if (!p.target.moveAccepted()) {
            p.draft.phase("Deleting");
            return new Result.Pending(accounts.report(p, id, true));
          }
          accounts.orphan(p, id);
        }
        History.outcome(p.draft.status, id, "DELETED", false);
        continue;
      }
      if (observation != null && observation.deleting()) {
        pending.add(id);
        continue;
      }
      DeleteOutcome outcome = client.delete(id, tracing);
      if (outcome == DeleteOutcome.REFUSED && settledAfterRefusal(client.observe(id, null))) {
        History.outcome(p.draft.status, id, "DELETED", false);
        continue;
      }
      if (outcome == DeleteOutcome.DONE || (outcome == DeleteOutcome.ACCEPTED && goneNow(p, client, id))) {
        History.outcome(p.draft.status, id, "DELETED", false);
      } else {
        // An accepted delete is shown by the Deleting condition; the one Event is "Deleted" (or DeleteStuck).
        refused |= outcome == DeleteOutcome.REFUSED;
        pending.add(id);
      }
    }
    if (pending.isEmpty()) {
      events.normal(resource, "Deleted", "remote deployment" + (owned.size() > 1 ? "s " : " ")
          + String.join(", ", owned) + (owned.size() > 1 ? " are" : " is") + " gone");
      if ("SupersededExternally".equals(Conditions.reason(p.before.getConditions(), Conditions.READY))) {
        events.warning(resource, "ServingNotOurs", "the " + p.noun + " serving this agent was not made by this "
            + "resource (it superseded ours) and is left running; delete it on the control plane if it is not "
            + "needed");
      }
      accounts.forget(p);
      return new Result.Released();
    }
    String deploymentId = String.join(", ", pending);
    Duration elapsed = deletionElapsed(resource, p.now);
    if (elapsed.compareTo(config.deleteWarnAfter()) > 0) {
      events.ongoing(resource, STUCK, EventRecorder.Type.Warning, "DeleteStuck", "remote deployment " + deploymentId + " is still being deleted after "
          + elapsed.toMinutes() + " minutes; check the control plane, or set spec.deletionPolicy: Orphan to "
          + "release this resource and leave the remote deployment as it is");
    }
    String message = "waiting for the control plane to finish deleting " + deploymentId;
    p.draft.ready(false, "Deleting", message);
    p.draft.synced(true, "Deleting", message);
    p.draft.phase("Deleting");
    backoff.reset(p.key());
    // A refused DELETE or a first not-found is read again soon; a remote teardown is read less and
    // less often (from the poll interval up to the resync), as it shows no progress until it is done.
    return new Result.Pending(refused ? config.pollInitial() : noProgress.next(p.key(), "Deleting " + deploymentId));
  }

  /**
   * True on a deletion's first pass for the one deployment a resource had Ready: a read before the
   * DELETE tells nothing. Otherwise (a deletion under way, several objects) it reads first.
   */
  private static boolean servedLastSeen(ReconcilePass p, List<String> owned, String id) {
    return owned.size() == 1 && id.equals(p.before.getDeploymentId()) && "Ready".equals(p.before.getPhase())
        && Conditions.isTrue(p.before.getConditions(), Conditions.READY);
  }

  /**
   * A DELETE answered with a 4xx says nothing by its text: what the deployment reads right after
   * decides. A terminal state the provider counts as gone (Agentex DELETED, already torn down
   * before our DELETE) settles it; a not-found is confirmed by the next pass's rules; anything
   * else is looked at again soon.
   */
  private static boolean settledAfterRefusal(Observation again) {
    return !again.exists() && again.absence() == Observation.Absence.PRESENT;
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

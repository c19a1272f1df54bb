package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.WriteAheadRecord;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.Applied;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether an existing deployment needs a change, and PATCHes it where the remote has
 * PATCH, through the write-ahead record: a PATCH whose answer was lost is not sent again when the
 * remote already runs it, and not while it may still be in flight.
 */
final class Update {
  /** Why a deployment needs a write; the names double as event reasons. */
  enum Change {
    NONE(null), SPEC("Updated"), DRIFT("DriftCorrected");

    final String reason;

    Change(String reason) {
      this.reason = reason;
    }
  }

  private final OperatorConfig config;
  private final EventRecorder events;
  private final WriteAhead writeAhead;
  private final Rollback rollback;

  Update(OperatorConfig config, EventRecorder events) {
    this.config = config;
    this.events = events;
    this.writeAhead = new WriteAhead(config);
    this.rollback = new Rollback(config, events, writeAhead);
  }

  /**
   * @param adopted the deployment was just taken over: values the remote cannot show (secrets; an
   *     Agentex image) or shows otherwise are applied once, since nothing proves they match
   */
  static Change needed(ReconcilePass p, Observation observation, boolean adopted) {
    boolean specChanged = adopted ? p.desired.hasWriteOnlyValues() || !observation.content().proven()
        : !p.desired.hash().equals(p.draft.status.getDesiredStateHash());
    if (specChanged) {
      return Change.SPEC;
    }
    return observation.upToDate() ? Change.NONE : Change.DRIFT;
  }

  /** @return the requeue, or null when the write turned out to be applied already (follow the rollout) */
  Duration patch(ReconcilePass p, RemoteDeploymentClient client, Observation observation, Change change) {
    String id = observation.deploymentId();
    Optional<WriteAheadRecord> open = WriteAhead.open(p).filter(r -> (WriteAhead.UPDATE.equals(r.getOperation())
        || WriteAhead.REDEPLOY.equals(r.getOperation())) && id.equals(r.getTarget()));
    if (open.isPresent() && p.desired.hash().equals(open.get().getDesiredStateHash()) && observation.upToDate()
        && observation.rollout() != null
        && !Objects.equals(observation.rollout().revisionId(), p.draft.status.getLatestRevisionId())) {
      // The PATCH reached the remote but its answer did not reach us: a new revision runs the spec.
      String revision = observation.rollout().revisionId();
      p.draft.applied(id, revision, p.desired.hash());
      History.add(p.draft.status, revision, p.desired.hash(), p.desired.deploymentHash(), p.now);
      WriteAhead.retire(p);
      events.normal(p.resource, "Recovered", "revision " + revision + " already runs generation "
          + p.resource.getMetadata().getGeneration() + " (an earlier update whose answer was lost); not sent again");
      return null;
    }
    if (!(open.isPresent() && WriteAhead.mayBeInFlight(open.get(), p.now)) && change == Change.SPEC) {
      Optional<Duration> rolledBack = rollback.tryRedeploy(p, client, id, open);
      if (rolledBack.isPresent()) {
        return rolledBack.get();
      }
    }
    if (open.isPresent() && WriteAhead.mayBeInFlight(open.get(), p.now)) {
      p.draft.synced(false, "UpdateInFlight", "an update sent at " + open.get().getLastAttempt()
          + " has no known outcome yet; looking again before sending it again");
      return Duration.between(p.now, WriteAhead.inFlightUntil(open.get())).plusMillis(50);
    }
    WriteAhead.persist(p, writeAhead.next(open, WriteAhead.UPDATE, id, p.desired.hash(),
        p.target.account().display(), p.now));
    Applied applied;
    try {
      applied = client.update(id, p.desired);
    } catch (RemoteException e) {
      if (e.httpStatus() != 0) {
        WriteAhead.answered(p);
      }
      if (!e.isTransient() || e.kind() == RemoteException.Kind.ROLLOUT_IN_PROGRESS
          || e.kind() == RemoteException.Kind.CONFLICT) {
        // Refused (a rejection, a rollout in progress, a 409): nothing was applied, so the record proves nothing.
        WriteAhead.retire(p);
      }
      throw e;
    }
    WriteAhead.retire(p);
    p.draft.applied(id, applied.revisionId(), p.desired.hash());
    History.add(p.draft.status, applied.revisionId(), p.desired.hash(), p.desired.deploymentHash(), p.now);
    if (change == Change.SPEC) {
      events.normal(p.resource, change.reason, "applied generation " + p.resource.getMetadata().getGeneration()
          + " as revision " + applied.revisionId());
    } else {
      events.normal(p.resource, change.reason, "remote fields " + String.join(", ", observation.drift())
          + " differed from the spec; patched back as revision " + applied.revisionId());
      DriftGuard.corrected(p, observation, applied.revisionId());
    }
    p.draft.synced(true, "Applied", "spec applied as revision " + applied.revisionId());
    p.draft.ready(false, "Progressing", "revision " + applied.revisionId() + " is rolling out");
    p.draft.phase("Deploying");
    return config.pollInitial();
  }
}

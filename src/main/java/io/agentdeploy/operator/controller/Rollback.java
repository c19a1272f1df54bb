package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.HistoryEntry;
import io.agentdeploy.operator.api.WriteAheadRecord;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.Applied;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A revert in git is a rollback: when the new desired state differs from the applied one only in
 * what a revision records (its source), and a revision this resource rolled out ran exactly that
 * state, reached live and still exists, the operator redeploys it instead of PATCHing (no build).
 * Any change of deployment-level state (env, Secret values, resource spec), a branch ref, or a
 * revision that is gone or failed, PATCHes as before.
 */
final class Rollback {
  private final OperatorConfig config;
  private final EventRecorder events;
  private final WriteAhead writeAhead;

  Rollback(OperatorConfig config, EventRecorder events, WriteAhead writeAhead) {
    this.config = config;
    this.events = events;
    this.writeAhead = writeAhead;
  }

  /** The requeue after a redeploy, or empty when the change must be a PATCH. */
  Optional<Duration> tryRedeploy(ReconcilePass p, RemoteDeploymentClient client, String deploymentId,
      Optional<WriteAheadRecord> open) {
    Optional<HistoryEntry> target = target(p, client, deploymentId);
    if (target.isEmpty()) {
      return Optional.empty();
    }
    String revision = target.get().getId();
    WriteAhead.persist(p, writeAhead.next(open, WriteAhead.REDEPLOY, deploymentId, p.desired.hash(),
        p.target.account().display(), p.now));
    Applied applied;
    try {
      applied = client.redeploy(deploymentId, revision);
    } catch (RemoteException e) {
      if (e.httpStatus() != 0) {
        WriteAhead.answered(p);
      }
      if (e.isTransient()) {
        throw e;
      }
      // Refused (the revision went, or the remote will not): the change goes out as a PATCH.
      WriteAhead.retire(p);
      return Optional.empty();
    }
    WriteAhead.retire(p);
    String rollingOut = applied.revisionId() != null ? applied.revisionId() : revision;
    p.draft.applied(deploymentId, rollingOut, p.desired.hash());
    History.add(p.draft.status, rollingOut, p.desired.hash(), p.desired.deploymentHash(), p.now);
    events.normal(p.resource, "RolledBack", "generation " + p.resource.getMetadata().getGeneration()
        + " rolls back to revision " + revision + " without a rebuild"
        + (rollingOut.equals(revision) ? "" : " (as revision " + rollingOut + ")"));
    p.draft.synced(true, "Applied", "spec applied by redeploying revision " + revision);
    p.draft.ready(false, "Progressing", "revision " + rollingOut + " is rolling out (redeploy of " + revision + ")");
    p.draft.phase("Deploying");
    return Optional.of(config.pollInitial());
  }

  /** The newest revision of this resource that ran exactly the desired state and may be redeployed. */
  private Optional<HistoryEntry> target(ReconcilePass p, RemoteDeploymentClient client, String deploymentId) {
    String deploymentHash = p.desired.deploymentHash();
    if (!client.canRedeploy() || deploymentHash == null || !p.desired.sourceIdentifiesCode()) {
      return Optional.empty();
    }
    String current = p.draft.status.getLatestRevisionId();
    Optional<HistoryEntry> applied = History.find(p.draft.status, current);
    // Only the source may differ from what runs now: deployment-level fields are not restored.
    if (applied.isEmpty() || !deploymentHash.equals(applied.get().getDeploymentHash())) {
      return Optional.empty();
    }
    List<HistoryEntry> history = p.draft.status.getHistory();
    for (int i = history.size() - 1; i >= 0; i--) {
      HistoryEntry e = history.get(i);
      if (!e.getId().equals(current) && Boolean.TRUE.equals(e.getDeployed())
          && p.desired.hash().equals(e.getDesiredStateHash()) && deploymentHash.equals(e.getDeploymentHash())
          && client.revisionExists(deploymentId, e.getId())) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}

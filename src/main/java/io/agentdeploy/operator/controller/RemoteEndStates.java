package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.Observation;
import java.time.Duration;

/**
 * The states a remote deployment reaches without the operator: a preview past its expiry, and a
 * deletion started outside the operator. Neither is corrected by a write; each is reported and
 * waited on.
 */
final class RemoteEndStates {
  private final OperatorConfig config;
  private final NoProgress noProgress;

  RemoteEndStates(OperatorConfig config, NoProgress noProgress) {
    this.config = config;
    this.noProgress = noProgress;
  }

  /** A preview that expired and whose spec did not change since: reported, not deployed again. */
  Duration expired(ReconcilePass p, Observation observation) {
    String message = "the preview expired at " + observation.expiresAt() + "; it is not deployed again until "
        + "the spec changes (for example a new spec.agentex.preview.expiresAt)";
    p.draft.ready(false, "Expired", message);
    p.draft.synced(true, "Expired", message);
    p.draft.phase("Expired");
    return config.resync();
  }

  /** Being deleted outside the operator: waited on, with a wait that grows while nothing changes. */
  Duration deleting(ReconcilePass p, String deploymentId) {
    String message = "remote deployment " + deploymentId + " is being deleted outside the operator; "
        + "it will be created again once the deletion completes";
    p.draft.ready(false, "RemoteDeleting", message);
    p.draft.synced(false, "RemoteDeleting", message);
    p.draft.phase("Pending");
    return noProgress.next(p.key(), "RemoteDeleting " + deploymentId);
  }
}

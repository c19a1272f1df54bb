package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeploymentStatus;
import java.time.Instant;

/** The status being built during one reconcile, starting from a copy of the stored one. */
final class StatusDraft {
  final AgentDeploymentStatus status;
  private final Long generation;
  private final Instant now;

  StatusDraft(AgentDeploymentStatus before, Long generation, Instant now) {
    this.status = before.copy();
    this.generation = generation;
    this.now = now;
    status.setObservedGeneration(generation);
  }

  void ready(boolean ok, String reason, String message) {
    status.setConditions(Conditions.with(status.getConditions(), Conditions.READY, ok, reason, message, generation, now));
  }

  void synced(boolean ok, String reason, String message) {
    status.setConditions(Conditions.with(status.getConditions(), Conditions.SYNCED, ok, reason, message, generation, now));
  }

  void phase(String phase) {
    status.setPhase(phase);
  }

  /** Records a successful create or update: the revision it produced starts rolling out now. */
  void applied(String deploymentId, String revisionId, String hash) {
    status.setDeploymentId(deploymentId);
    if (revisionId != null && !revisionId.equals(status.getLatestRevisionId())) {
      status.setRevisionStatus(null);
    }
    status.setLatestRevisionId(revisionId);
    status.setDesiredStateHash(hash);
    status.setRejectedStateHash(null);
    status.setRolloutStartedAt(now.toString());
  }

  /** Forgets the remote deployment (it is gone and will be created again). */
  void clearRemote() {
    status.setDeploymentId(null);
    status.setLatestRevisionId(null);
    status.setActiveRevisionId(null);
    status.setRevisionStatus(null);
    status.setUrl(null);
    status.setDesiredStateHash(null);
    status.setRolloutStartedAt(null);
    status.setExpiresAt(null);
    status.setLastRemoteEvent(null);
    status.setDriftGuard(null);
  }
}

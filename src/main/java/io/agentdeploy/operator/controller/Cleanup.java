package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * A resource marked for deletion with our finalizer: {@link Deletion} deletes what it owns, the
 * finalizer goes once that reads gone, and the per-resource memory goes with it (or when the
 * resource is gone without passing here).
 */
final class Cleanup {
  private final Deletion deletion;
  private final OperatorMetrics metrics;
  private final Backoff backoff;
  private final NoProgress noProgress;
  private final EventRecorder events;

  Cleanup(Deletion deletion, OperatorMetrics metrics, Backoff backoff, NoProgress noProgress, EventRecorder events) {
    this.deletion = deletion;
    this.metrics = metrics;
    this.backoff = backoff;
    this.noProgress = noProgress;
    this.events = events;
  }

  UpdateControl<AgentDeployment> run(ReconcilePass p) {
    if (deletion.run(p) instanceof Deletion.Result.Pending pending) {
      metrics.phase(p.key(), "Deleting");
      StatusWriter.writeWhileDeleting(p);
      return UpdateControl.<AgentDeployment>noUpdate().rescheduleAfter(pending.requeue().toMillis());
    }
    Finalizer.release(p);
    forget(p.resource);
    return UpdateControl.noUpdate();
  }

  void forget(AgentDeployment resource) {
    String key = resource.getMetadata().getUid();
    backoff.reset(key);
    noProgress.reset(key);
    metrics.phase(key, null);
    events.forget(resource);
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

  /**
   * Uids whose finalizer this process removed and whose DELETE event has not come yet: an event
   * queued meanwhile brings back the object as last cached (with the finalizer, when the removal
   * took the object with it), and must not delete, report or release a second time. JOSDK's own
   * finalizer handling keeps the same mark.
   */
  private final Set<String> released = ConcurrentHashMap.newKeySet();

  /** True while a resource this process released waits for its DELETE event. */
  boolean releasedAlready(AgentDeployment resource) {
    return released.contains(resource.getMetadata().getUid());
  }

  UpdateControl<AgentDeployment> run(ReconcilePass p) {
    if (deletion.run(p) instanceof Deletion.Result.Pending pending) {
      metrics.phase(p.key(), "Deleting");
      StatusWriter.writeWhileDeleting(p);
      return UpdateControl.<AgentDeployment>noUpdate().rescheduleAfter(pending.requeue().toMillis());
    }
    // Out of the phase gauge before the finalizer goes: the object can be gone the moment the API
    // server applies the patch, and a scrape then must not count it as Deleting. (A removal that
    // fails leaves it uncounted until the retry, which releases it again.)
    metrics.phase(p.key(), null);
    Finalizer.release(p);
    released.add(p.key());
    forgetMemory(p.resource);
    return UpdateControl.noUpdate();
  }

  /** The resource is gone (its DELETE event): nothing of it is kept. */
  void gone(AgentDeployment resource) {
    released.remove(resource.getMetadata().getUid());
    forgetMemory(resource);
  }

  private void forgetMemory(AgentDeployment resource) {
    String key = resource.getMetadata().getUid();
    backoff.reset(key);
    noProgress.reset(key);
    metrics.phase(key, null);
    events.forget(resource);
  }
}

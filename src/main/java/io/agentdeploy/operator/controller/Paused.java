package io.agentdeploy.operator.controller;

/** The pause annotation: nothing is sent to the control plane, and status says why. */
final class Paused {
  private Paused() {}

  /** Reports the pause when the resource carries the annotation; false otherwise. */
  static boolean report(ReconcilePass p, OperatorMetrics metrics) {
    if (!Annotations.paused(p.resource)) {
      return false;
    }
    p.draft.synced(false, "Paused", "reconciliation is paused by the " + Annotations.PAUSED
        + " annotation; nothing is sent to the control plane until it is removed");
    p.draft.phase("Paused");
    Finalizer.ensure(p);
    StatusWriter.write(p);
    metrics.phase(p.key(), "Paused");
    return true;
  }
}

package io.agentdeploy.operator.controller;

/**
 * The Normal event of a create (or of an Agentex deploy) is sent at the end of its pass: when the
 * rollout it started is already live in that pass, one event says both, so a fast remote costs one
 * Event per resource instead of two (at 10,000 resources, 10,000 fewer writes to the API server).
 */
final class AppliedEvent {
  private final String reason;
  private String message;

  AppliedEvent(String reason, String message) {
    this.reason = reason;
    this.message = message;
  }

  /** The rollout this pass started went live in the same pass. */
  void live(String rollout) {
    message = message + "; " + rollout + " is live";
  }

  /** Sends the pass's applied event, if it has one (also when the pass failed after the write). */
  static void send(ReconcilePass p, EventRecorder events) {
    if (p.appliedEvent != null) {
      events.normal(p.resource, p.appliedEvent.reason, p.appliedEvent.message);
      p.appliedEvent = null;
    }
  }
}

package io.agentdeploy.operator.remote;

/**
 * Something only a person can fix in Kubernetes (a missing Secret, a ControlPlane that is not
 * ready, an invalid combination the schema cannot express). Reported as Synced=False with
 * {@link #reason()}; nothing is sent to the remote, and the watch on the referenced object brings
 * the resource back when it changes.
 */
public final class SpecProblem extends Exception {
  private final String reason;

  public SpecProblem(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public String reason() { return reason; }
}

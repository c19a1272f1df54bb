package io.agentdeploy.operator.remote;

/**
 * Something only a person can fix in Kubernetes (a missing Secret, a ControlPlane that is not
 * ready, an invalid combination the schema cannot express). Reported as Synced=False with
 * {@link #reason()}; nothing is sent to the remote, and the watch on the referenced object brings
 * the resource back when it changes.
 */
public final class SpecProblem extends Exception {
  private final String reason;
  private final boolean waitsOnOthers;

  public SpecProblem(String reason, String message) {
    this(reason, message, false);
  }

  /**
   * @param waitsOnOthers the problem goes away when another resource changes, which no watch
   *     reports: look again on the poll cadence rather than the long resync
   */
  public SpecProblem(String reason, String message, boolean waitsOnOthers) {
    super(message, null, false, false);
    this.reason = reason;
    this.waitsOnOthers = waitsOnOthers;
  }

  public String reason() { return reason; }

  public boolean waitsOnOthers() { return waitsOnOthers; }
}

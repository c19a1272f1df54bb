package io.agentdeploy.operator.controller;

/**
 * The {@code Reachable} condition of a control plane: how its last check went on the network,
 * apart from {@code Ready} (which turns False only for what a person must fix). Its messages are
 * fixed per reason, so a flapping network rewrites no status; the numbers, request ids and
 * timings of each failure go to the log and to one event per episode.
 *
 * @param detail what happened this time (volatile, never written to a condition)
 */
record Reachability(boolean reachable, Reasons reason, String detail) {
  static final String TYPE = "Reachable";

  static Reachability answered() {
    return new Reachability(true, Reasons.REACHABLE, "");
  }

  static Reachability unreachable(String detail) {
    return new Reachability(false, Reasons.UNREACHABLE, detail);
  }

  static Reachability throttled(String detail) {
    return new Reachability(false, Reasons.THROTTLED, detail);
  }

  /** The check failed in a way nothing classified (see {@code RemoteException.Kind.UNEXPECTED}). */
  static Reachability unexpected(String detail) {
    return new Reachability(false, Reasons.UNEXPECTED_ERROR, detail);
  }

  static Reachability notFound(String detail) {
    return new Reachability(false, Reasons.UNEXPECTED_RESPONSE, detail);
  }

  /** The condition's message: one fixed text per reason. */
  String message() {
    return switch (reason) {
      case REACHABLE -> "the control plane answered the last check";
      case THROTTLED -> "the last check was throttled (the account's rate limit or a 429 from the control plane); "
          + "checked again later";
      case UNEXPECTED_RESPONSE -> "the check URL answered not found; Ready turns False if that persists over "
          + "several checks (see spec.baseUrl)";
      case UNEXPECTED_ERROR -> "the last check failed in a way the operator does not classify; retried with backoff "
          + "(the ControlPlane's UnexpectedError event and the operator log name it); Ready unchanged";
      default -> "the last check got no answer or a server error; retried with backoff (details in the "
          + "ControlPlane's events and the operator log)";
    };
  }
}

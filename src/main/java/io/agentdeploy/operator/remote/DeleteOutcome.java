package io.agentdeploy.operator.remote;

/** The result of asking the remote to delete a deployment. */
public enum DeleteOutcome {
  /** The remote accepted the delete; teardown continues remotely (look again later). */
  ACCEPTED,
  /** The remote answered the delete as done. */
  DONE,
  /**
   * The remote refused or did not know it (a 4xx): nothing counts as gone until a read
   * confirms it, since a proxy or a transient state can answer the same way.
   */
  REFUSED;

  /**
   * True for an answer to a DELETE that says nothing certain about the deployment: any 4xx
   * (400, 404, 409, 422, ...) but 429 (throttling, honoured as such) and 401/403 (the credentials,
   * which a read would meet as well). Whatever its text, the deployment is observed again.
   */
  public static boolean refusal(RemoteException e) {
    return e.httpStatus() >= 400 && e.httpStatus() < 500 && e.kind() != RemoteException.Kind.RATE_LIMITED
        && e.kind() != RemoteException.Kind.UNAUTHORIZED;
  }
}

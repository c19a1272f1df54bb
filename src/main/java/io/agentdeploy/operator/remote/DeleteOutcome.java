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
  REFUSED
}

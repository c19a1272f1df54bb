package io.agentdeploy.operator.remote;

/** The result of asking the remote to delete a deployment. */
public enum DeleteOutcome {
  /** The remote accepted the delete; teardown continues remotely. */
  ACCEPTED,
  /** The remote no longer knows the deployment. */
  GONE
}

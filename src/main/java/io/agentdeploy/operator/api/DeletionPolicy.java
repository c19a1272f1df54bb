package io.agentdeploy.operator.api;

/** What deleting the Kubernetes resource does to the remote deployment. */
public enum DeletionPolicy {
  /** Delete the remote deployment and keep the finalizer until the remote confirms it is gone. */
  Delete,
  /** Leave the remote deployment untouched. */
  Orphan
}

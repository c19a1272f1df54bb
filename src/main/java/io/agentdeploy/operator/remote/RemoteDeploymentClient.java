package io.agentdeploy.operator.remote;

import java.util.List;

/**
 * The provider-neutral port the reconciler drives: observe, create, update, delete. One instance
 * talks to one remote account; implementations live in one file per provider so every remote
 * call site of a provider is in one place. All methods throw {@link RemoteException}.
 */
public interface RemoteDeploymentClient {

  /**
   * Reads the deployment and its newest revision and compares them with {@code desired}; with a
   * null {@code desired} only existence and deletion state are read.
   */
  Observation observe(String deploymentId, DesiredDeployment desired);

  /** Deployments whose name is exactly {@code name} (at most one on a well-behaved remote). */
  List<RemoteMatch> findByName(String name);

  /** Creates the deployment. Never retried by the transport: a failure goes back to the reconciler. */
  Applied create(DesiredDeployment desired);

  /** Applies the desired state to an existing deployment, rolling out a new revision. */
  Applied update(String deploymentId, DesiredDeployment desired);

  /** Asks the remote to delete the deployment. */
  DeleteOutcome delete(String deploymentId, boolean deleteTracingProject);

  /** An authenticated read proving the URL and credentials work. */
  void checkAccess();
}

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

  /**
   * Remote deployments that may be {@code desired}, for the lookup before every create: by unique
   * name (LangSmith), or by identical content (Agentex, whose names are not unique).
   */
  List<RemoteMatch> findByName(DesiredDeployment desired);

  /** True when names are unique on the remote, so a match the operator did not create is a conflict. */
  boolean namesAreUnique();

  /** True when applying a change creates a new record (Agentex: a new deploy) instead of patching. */
  boolean updateCreatesNewRecord();

  /** Creates the deployment. Never retried by the transport: a failure goes back to the reconciler. */
  Applied create(DesiredDeployment desired);

  /** Applies the desired state to an existing deployment, rolling out a new revision. */
  Applied update(String deploymentId, DesiredDeployment desired);

  /** Asks the remote to delete the deployment. */
  DeleteOutcome delete(String deploymentId, boolean deleteTracingProject);

  /** An authenticated read proving the URL and credentials work. */
  void checkAccess();
}

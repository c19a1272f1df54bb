package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;

/**
 * Where a reconcile gets the remote state of a deployment from: an input, not a call the steps
 * make themselves. {@link #direct()} reads every time; {@link BatchedObservations} answers a
 * reconcile from the last list of its account where that is fresh and nothing is to be written.
 */
@FunctionalInterface
interface ObservationSource {
  Observation observe(RemoteDeploymentClient client, String deploymentId, DesiredDeployment desired);

  /** The reconcile's own observation of its deployment, which may come from a batch. */
  default Observation observe(ReconcilePass p, RemoteDeploymentClient client, String deploymentId) {
    return observe(client, deploymentId, p.desired);
  }

  /** Reads the deployment from the remote each time. */
  static ObservationSource direct() {
    return RemoteDeploymentClient::observe;
  }
}

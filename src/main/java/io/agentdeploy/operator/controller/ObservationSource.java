package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;

/**
 * Where a reconcile gets the remote state of a deployment from: an input, not a call the steps
 * make themselves. Today every observation is a direct read; a batched poller (one list call per
 * account for many resources) can answer from its last batch instead, reading single objects only
 * where the batch has nothing fresh.
 */
@FunctionalInterface
interface ObservationSource {
  Observation observe(RemoteDeploymentClient client, String deploymentId, DesiredDeployment desired);

  /** Reads the deployment from the remote each time. */
  static ObservationSource direct() {
    return RemoteDeploymentClient::observe;
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;

/**
 * Where a resource's remote calls go right now: the client, the account the ControlPlane's
 * settings address, a fingerprint of those settings (address and key), and the account the
 * ControlPlane's owner accepted a move to, if any.
 *
 * @param settings changes whenever the base URL, tenant/account id or API key changes
 * @param acceptedAccount the value of the ControlPlane's accept-account annotation, or null
 * @param controlPlane how messages name it, e.g. "ClusterControlPlane shared"
 */
record Target(RemoteDeploymentClient client, AccountKey account, String settings, String acceptedAccount,
    String controlPlane) {

  /** True when the owner accepted moving this ControlPlane's resources to its current account. */
  boolean moveAccepted() {
    return account.display().equals(acceptedAccount);
  }
}

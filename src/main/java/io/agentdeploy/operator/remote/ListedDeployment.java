package io.agentdeploy.operator.remote;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One deployment as a list call answered it: enough to tell whether it changed since the last
 * list (status, newest revision) and to build an {@link Observation} without reading it again.
 *
 * @param body the provider's answer for this deployment, read only by the provider's own client
 */
public record ListedDeployment(String deploymentId, String status, String latestRevisionId, JsonNode body) {

  /** Changes when the status or the newest revision changes: what makes a poller reconcile. */
  public String fingerprint() {
    return status + "/" + latestRevisionId;
  }
}

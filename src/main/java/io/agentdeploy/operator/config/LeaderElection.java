package io.agentdeploy.operator.config;

import java.time.Duration;

/**
 * Leader election through a coordination.k8s.io Lease: only the holder reconciles.
 *
 * @param namespace Lease namespace; null means the namespace the pod runs in
 * @param identity this replica's name in the Lease; null means the HOSTNAME (the pod name)
 */
public record LeaderElection(boolean enabled, String leaseName, String namespace, String identity,
    Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

  public static LeaderElection disabled() {
    return new LeaderElection(false, "agent-deployment-operator", null, null, Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2));
  }
}

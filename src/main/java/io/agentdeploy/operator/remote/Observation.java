package io.agentdeploy.operator.remote;

import java.time.Instant;
import java.util.List;

/**
 * What the remote says about one deployment, compared with the desired state
 * (the crossplane "Observe" answer: exists, up to date, and how the rollout goes).
 *
 * @param exists false when the deployment is gone (404, or a terminal deleted state)
 * @param deleting the remote is tearing the deployment down (soft-deleted, not yet gone)
 * @param expired gone because it was a preview whose expiry passed (not to be recreated)
 * @param drift names of comparable fields whose remote value differs from the desired one
 * @param rollout newest revision state, null when absent
 * @param expiresAt when a preview expires, or null
 * @param events what the remote reports about the deployment, oldest first
 */
public record Observation(boolean exists, boolean deleting, boolean expired, String deploymentId, Instant createdAt,
    List<String> drift, Rollout rollout, String url, Instant expiresAt, List<RemoteEvent> events) {

  public static Observation absent(String deploymentId) {
    return new Observation(false, false, false, deploymentId, null, List.of(), null, null, null, List.of());
  }

  public boolean upToDate() {
    return drift.isEmpty();
  }
}

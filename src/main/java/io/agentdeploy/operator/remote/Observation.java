package io.agentdeploy.operator.remote;

import java.time.Instant;
import java.util.List;

/**
 * What the remote says about one deployment, compared with the desired state
 * (the crossplane "Observe" answer: exists, up to date, and how the rollout goes).
 *
 * @param exists false when the remote answered 404
 * @param deleting the remote is tearing the deployment down (soft-deleted, not yet gone)
 * @param drift names of comparable fields whose remote value differs from the desired one
 * @param rollout newest revision state, null when absent
 */
public record Observation(boolean exists, boolean deleting, String deploymentId, Instant createdAt, List<String> drift,
    Rollout rollout, String url) {

  public static Observation absent(String deploymentId) {
    return new Observation(false, false, deploymentId, null, List.of(), null, null);
  }

  public boolean upToDate() {
    return drift.isEmpty();
  }
}

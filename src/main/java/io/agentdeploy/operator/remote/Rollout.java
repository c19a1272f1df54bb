package io.agentdeploy.operator.remote;

/**
 * The state of the newest revision.
 *
 * @param revisionId newest revision id (may be null right after create on some providers)
 * @param activeRevisionId revision currently serving, or null
 * @param status the provider's own status word, shown to users as-is
 * @param phase the provider-neutral reading of {@code status}
 */
public record Rollout(String revisionId, String activeRevisionId, String status, RolloutPhase phase) {

  /** Live: the newest revision succeeded and is the one serving. */
  public boolean isLive() {
    return phase == RolloutPhase.SUCCEEDED && revisionId != null && revisionId.equals(activeRevisionId);
  }
}

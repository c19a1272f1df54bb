package io.agentdeploy.operator.remote;

/**
 * The state of the newest revision.
 *
 * @param revisionId newest revision id (may be null right after create on some providers)
 * @param activeRevisionId revision currently serving, or null
 * @param status the provider's own status word, shown to users as-is
 * @param phase the provider-neutral reading of {@code status}
 */
public record Rollout(String revisionId, String activeRevisionId, String status, RolloutPhase phase,
    boolean retired) {

  /**
   * @param retired the revision no longer runs anything (failed, replaced, deleted), so nothing
   *     of it is left to delete
   */
  public Rollout {
  }

  public Rollout(String revisionId, String activeRevisionId, String status, RolloutPhase phase) {
    this(revisionId, activeRevisionId, status, phase, phase == RolloutPhase.FAILED);
  }


  /** Live: the newest revision succeeded and is the one serving. */
  public boolean isLive() {
    return phase == RolloutPhase.SUCCEEDED && revisionId != null && revisionId.equals(activeRevisionId);
  }
}

package io.agentdeploy.operator.remote;

/** Where the newest remote revision (or deploy) stands, independent of provider vocabulary. */
public enum RolloutPhase {
  IN_PROGRESS,
  SUCCEEDED,
  FAILED,
  /** A value the provider does not document: treated as in progress until the deadline. */
  UNKNOWN
}

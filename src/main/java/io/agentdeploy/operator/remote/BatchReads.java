package io.agentdeploy.operator.remote;

import java.util.List;
import java.util.Map;

/**
 * Reads of many deployments of one account in one call, for providers whose list takes an id
 * filter (LangSmith {@code deployment_ids}). An id missing from an answer is only "not seen": the
 * single read and the ownership rules decide whether it is gone.
 */
public interface BatchReads {
  /** The most ids one list call may carry. */
  int MAX_IDS = 100;

  /** One list call for at most {@link #MAX_IDS} ids. */
  Listing list(List<String> deploymentIds);

  /**
   * The observation a single read would give, built from a listed deployment. The newest revision
   * is read unless {@code known} is the settled state of that same revision.
   *
   * @param known the last revision answer for this deployment while its listing was unchanged, or null
   */
  Observation observe(ListedDeployment listed, DesiredDeployment desired, Rollout known);

  /**
   * @param found the listed deployments by id
   * @param answeredOthers the answer held ids not asked for: the server ignores the filter
   */
  record Listing(Map<String, ListedDeployment> found, boolean answeredOthers) {
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.ListedDeployment;
import io.agentdeploy.operator.remote.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the poller knows of one account: the deployment ids its reconciles observed, the last list
 * answer per id with its time, the last revision answer per id, and whether the server ignores the id filter (then the account is read one resource at a time).
 */
final class AccountBatch {
  /**
   * @param listed null when the id was asked for and the answer did not hold it ("not seen")
   * @param at when the list answered
   */
  record Entry(ListedDeployment listed, Instant at) {
    String fingerprint() {
      return listed == null ? "not seen" : listed.fingerprint();
    }
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  /**
   * The last revision answer per id, from a list or a single read: the client uses it only for the
   * same revision once settled (DEPLOYED or failed, which do not change), so a Ready resource's
   * revision is read once, by the pass that saw it go live, and never by a list.
   */
  private final Map<String, Rollout> rollouts = new ConcurrentHashMap<>();
  /** Tracked ids; true while the last single read of the id failed (its retries read again). */
  private final Map<String, Boolean> tracked = new ConcurrentHashMap<>();
  private volatile boolean ignoresFilter;

  void track(String deploymentId) {
    tracked.putIfAbsent(deploymentId, Boolean.FALSE);
  }

  void singleRead(String deploymentId, boolean failed) {
    tracked.put(deploymentId, failed);
  }

  boolean lastSingleReadFailed(String deploymentId) {
    return Boolean.TRUE.equals(tracked.get(deploymentId));
  }

  void forget(String deploymentId) {
    tracked.remove(deploymentId);
    entries.remove(deploymentId);
    rollouts.remove(deploymentId);
  }

  List<String> trackedIds() {
    return List.copyOf(tracked.keySet());
  }

  Entry entry(String deploymentId) {
    return entries.get(deploymentId);
  }

  /** Stores the answer; true when it differs from the one before (a first answer is no change). */
  boolean record(String deploymentId, Entry entry) {
    Entry before = entries.put(deploymentId, entry);
    return before != null && !before.fingerprint().equals(entry.fingerprint());
  }

  Rollout knownRollout(String deploymentId) {
    return rollouts.get(deploymentId);
  }

  void rememberRollout(String deploymentId, Rollout rollout) {
    rollouts.put(deploymentId, rollout);
  }

  boolean ignoresFilter() {
    return ignoresFilter;
  }

  /** @return true the first time (to log it once) */
  boolean markIgnoresFilter() {
    boolean first = !ignoresFilter;
    ignoresFilter = true;
    entries.clear();
    return first;
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.ListedDeployment;
import io.agentdeploy.operator.remote.Rollout;
import java.time.Duration;
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
  /** Tracked ids: since when, and whether the last single read of the id failed (its retries read again). */
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();

  private record Tracked(Instant since, boolean lastReadFailed) {}
  private volatile boolean ignoresFilter;
  /** When the latest round of lists started, the one before it, and whether the latest still runs. */
  private volatile Instant roundStarted = Instant.EPOCH;
  private volatile Instant previousRoundStarted = Instant.EPOCH;
  private volatile boolean roundRunning;

  void track(String deploymentId, Instant now) {
    tracked.putIfAbsent(deploymentId, new Tracked(now, false));
  }

  void singleRead(String deploymentId, boolean failed, Instant now) {
    tracked.compute(deploymentId, (id, before) -> new Tracked(before == null ? now : before.since(), failed));
  }

  boolean lastSingleReadFailed(String deploymentId) {
    Tracked t = tracked.get(deploymentId);
    return t != null && t.lastReadFailed();
  }

  /**
   * True for an id first tracked less than {@code interval} ago: the pass that created its
   * deployment tracks it before its own status write reaches the informer cache (later still when
   * the create's reads were slow), so no resource seems to hold it yet; a round that dropped it
   * then would leave the resource to read itself at its next resync.
   */
  boolean newlyTracked(String deploymentId, Instant now, Duration interval) {
    Tracked t = tracked.get(deploymentId);
    return t != null && Duration.between(t.since(), now).compareTo(interval) < 0;
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

  void roundStarts(Instant now) {
    previousRoundStarted = roundStarted;
    roundStarted = now;
    roundRunning = true;
  }

  void roundEnded() {
    roundRunning = false;
  }

  /**
   * True when {@code entry} is the newest answer the poller has for its id: younger than
   * {@code resync}, or made by the round before a round that started less than {@code resync} ago
   * and is still listing (its answer for the id is on the way). A resource whose resync falls
   * between a round's start and its answer (more so when that round is slower than the one before)
   * would otherwise find the last answer a little over one interval old and read the deployment and
   * its revision itself, seconds before the next answer. A poller that falls behind (a round that
   * stops or never starts) still ages its entries out.
   */
  boolean newest(Entry entry, Instant now, Duration resync) {
    if (Duration.between(entry.at(), now).compareTo(resync) < 0) {
      return true;
    }
    Instant started = roundStarted;
    return roundRunning && !entry.at().isBefore(previousRoundStarted)
        && Duration.between(started, now).compareTo(resync) < 0;
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

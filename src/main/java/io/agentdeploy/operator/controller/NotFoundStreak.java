package io.agentdeploy.operator.controller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the checks of one control plane that answered "not found" (or refused the check request)
 * in a row. A proxy restarting or a rolling deploy of the control plane can answer 404 for a moment,
 * so Ready turns False only once the answer persists: {@link #CHECKS} checks spanning at least
 * {@link #SPAN}. Transient errors in between neither count nor break the streak; any other answer does.
 */
final class NotFoundStreak {
  static final int CHECKS = 3;
  static final Duration SPAN = Duration.ofMinutes(2);

  private record Streak(Instant first, int checks) {}

  private final Clock clock;
  private final Map<String, Streak> streaks = new ConcurrentHashMap<>();

  NotFoundStreak(Clock clock) {
    this.clock = clock;
  }

  /** Records one not-found check; true when the streak is now long enough for a person to act. */
  boolean record(String uid) {
    Instant now = clock.instant();
    Streak s = streaks.merge(uid, new Streak(now, 1), (old, one) -> new Streak(old.first(), old.checks() + 1));
    return s.checks() >= CHECKS && Duration.between(s.first(), now).compareTo(SPAN) >= 0;
  }

  void reset(String uid) {
    streaks.remove(uid);
  }

  /** Drops the streaks of objects not in {@code live}. */
  void retainOnly(java.util.Set<String> live) {
    streaks.keySet().retainAll(live);
  }
}

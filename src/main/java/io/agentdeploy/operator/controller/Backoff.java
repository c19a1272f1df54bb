package io.agentdeploy.operator.controller;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, per resource, with no limit on attempts: JOSDK's own
 * retry gives up after a few attempts, but a remote outage must not leave a resource stranded.
 * Counters are in memory; a restart starts again from the initial delay, which is harmless.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** Records one more failure of {@code key} and returns how long to wait before the next try. */
  public Duration next(String key) {
    int n = failures.merge(key, 1, Integer::sum);
    long base = initial.toMillis() << Math.min(n - 1, 20);
    long capped = Math.min(max.toMillis(), base);
    // Full jitter on the upper half: spreads retries of many resources without going below half.
    long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    return Duration.ofMillis(Math.max(jittered, initial.toMillis()));
  }

  public void reset(String key) {
    failures.remove(key);
  }

  /** Drops the counters of keys not in {@code live} (resources gone without a cleanup). */
  public void retainOnly(Set<String> live) {
    failures.keySet().retainAll(live);
  }
}

package io.agentdeploy.operator.controller;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How soon to look again at a resource waiting on something that makes no progress it could see
 * (no revision yet, a remote deletion by someone else, a remote teardown): exponential from the
 * poll interval to the resync interval, so a state that lasts for hours costs a read every resync,
 * not every two seconds. The count runs per resource and per state; a state is named with the ids
 * it waits on, so a new deployment or revision starts again from the poll interval.
 */
final class NoProgress {
  private final Duration initial;
  private final Duration max;
  private final Map<String, Waiting> byResource = new ConcurrentHashMap<>();

  private record Waiting(String state, int passes) {}

  NoProgress(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max.compareTo(initial) < 0 ? initial : max;
  }

  /** One more pass of {@code key} found {@code state} unchanged (or entered it): the wait before the next. */
  Duration next(String key, String state) {
    Waiting w = byResource.compute(key, (k, old) -> old != null && Objects.equals(old.state(), state)
        ? new Waiting(state, old.passes() + 1) : new Waiting(state, 1));
    long base = initial.toMillis() << Math.min(w.passes() - 1, 20);
    long capped = Math.min(max.toMillis(), base);
    // A little jitter below the step keeps many resources that entered the state together apart.
    long jittered = capped - ThreadLocalRandom.current().nextLong(capped / 8 + 1);
    return Duration.ofMillis(Math.max(jittered, initial.toMillis()));
  }

  /** The resource made progress (or is gone): its next wait starts again from the poll interval. */
  void reset(String key) {
    byResource.remove(key);
  }

  /** Drops the counts of resources not in {@code live} (gone without a cleanup). */
  void retainOnly(Set<String> live) {
    byResource.keySet().retainAll(live);
  }
}

package io.agentdeploy.operator.simulator;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The requests the simulator answered, in order, for tests and benchmarks to count and inspect. It
 * keeps the newest {@code capacity} whole (with their bodies) and counts every one: a simulator that
 * runs for weeks as a sandbox, or through a benchmark of 10,000 resources, must not hold every body
 * it ever sent.
 */
public final class RequestLog {
  private final int capacity;
  private final ArrayDeque<RecordedRequest> entries = new ArrayDeque<>();
  private final Map<SimOperation, Long> counts = new EnumMap<>(SimOperation.class);

  RequestLog(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("a request log keeps 0 or more requests, not " + capacity);
    }
    this.capacity = capacity;
  }

  synchronized void add(RecordedRequest request) {
    counts.merge(request.operation(), 1L, Long::sum);
    if (capacity == 0) {
      return;
    }
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(request);
  }

  /** The requests kept, oldest first: all since the last {@link #clear()} unless more came than the capacity. */
  public synchronized List<RecordedRequest> all() {
    return List.copyOf(entries);
  }

  public List<RecordedRequest> matching(Predicate<RecordedRequest> filter) {
    return all().stream().filter(filter).toList();
  }

  /** Requests of this operation since the last {@link #clear()}, kept or not. */
  public synchronized long count(SimOperation operation) {
    return counts.getOrDefault(operation, 0L);
  }

  /** Counts of every operation seen since the last {@link #clear()}, in the enum's order. */
  public synchronized Map<SimOperation, Long> counts() {
    return new TreeMap<>(counts);
  }

  public synchronized void clear() {
    entries.clear();
    counts.clear();
  }
}

package io.agentdeploy.operator.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Every request the simulator answered, in order, for tests and benchmarks to count and inspect. */
public final class RequestLog {
  private final List<RecordedRequest> entries = new ArrayList<>();

  synchronized void add(RecordedRequest request) {
    entries.add(request);
  }

  public synchronized List<RecordedRequest> all() {
    return List.copyOf(entries);
  }

  public List<RecordedRequest> matching(Predicate<RecordedRequest> filter) {
    return all().stream().filter(filter).toList();
  }

  public long count(SimOperation operation) {
    return all().stream().filter(r -> r.operation() == operation).count();
  }

  /** Counts of every operation seen, sorted by name. */
  public Map<SimOperation, Long> counts() {
    Map<SimOperation, Long> counts = new TreeMap<>();
    all().forEach(r -> counts.merge(r.operation(), 1L, Long::sum));
    return counts;
  }

  public synchronized void clear() {
    entries.clear();
  }
}

package io.agentdeploy.operator.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What rate-limit tests read from the times requests reached the simulator. */
final class RequestTimes {
  private RequestTimes() {}

  /** The most requests in any one-second window. */
  static int busiestSecond(List<Instant> times) {
    List<Instant> sorted = times.stream().sorted().toList();
    int best = 0;
    int start = 0;
    for (int end = 0; end < sorted.size(); end++) {
      while (Duration.between(sorted.get(start), sorted.get(end)).toMillis() >= 1000) {
        start++;
      }
      best = Math.max(best, end - start + 1);
    }
    return best;
  }
}

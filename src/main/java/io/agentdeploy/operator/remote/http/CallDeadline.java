package io.agentdeploy.operator.remote.http;

import java.time.Duration;

/**
 * The one deadline of a call to the remote: every attempt of it, the pauses between attempts and
 * each attempt's whole answer share it. It starts when the first attempt has its rate-limit
 * token (waiting for the client's own limiter is not the remote being slow), so the time a thread
 * spends in one {@link HttpTransport#send} is bounded by the request timeout plus the limiter's
 * inline waits (see {@link #bound}).
 */
final class CallDeadline {
  private final Duration length;
  private long endNanos;
  private boolean started;

  CallDeadline(Duration length) {
    this.length = length;
  }

  /** Starts the clock at the first call; later calls keep the first start. */
  void start() {
    if (!started) {
      started = true;
      endNanos = System.nanoTime() + length.toNanos();
    }
  }

  /** What is left of the deadline (zero or negative once passed); the whole length before the start. */
  Duration remaining() {
    return started ? Duration.ofNanos(endNanos - System.nanoTime()) : length;
  }

  /**
   * True when one more attempt after {@code pause} still gets a useful share of the deadline (a
   * quarter of it): an attempt cut short by its own deadline would only add load to a slow remote.
   */
  boolean allowsAnotherAttempt(Duration pause) {
    return remaining().minus(pause).compareTo(length.dividedBy(4)) >= 0;
  }

  /**
   * The longest a thread can spend in one call with this request timeout: the first token's wait,
   * the deadline itself, and one retry's token wait begun just before the deadline.
   */
  static Duration bound(Duration requestTimeout) {
    return requestTimeout.plus(RateLimiters.MAX_INLINE_WAIT.multipliedBy(2));
  }
}

package io.agentdeploy.operator.remote.http;

import java.time.Duration;

/**
 * A token bucket with a pause: the steady client-side limit for one account, plus the
 * {@code Retry-After} the remote asked for, which then applies to every caller of the account.
 */
public final class TokenBucket {
  private double ratePerSecond;
  private double capacity;
  private final Ticker ticker;
  private double tokens;
  private long lastRefillNanos;
  private long pausedUntilNanos;

  /** A monotonic clock in nanoseconds; replaceable in tests. */
  @FunctionalInterface
  public interface Ticker {
    long nanos();
  }

  public TokenBucket(double ratePerSecond, int burst, Ticker ticker) {
    if (ratePerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.ratePerSecond = ratePerSecond;
    this.capacity = burst;
    this.ticker = ticker;
    this.tokens = burst;
    this.lastRefillNanos = ticker.nanos();
  }

  /**
   * Takes a token if one is free now; otherwise returns how long until one will be, reserving
   * nothing. Callers either sleep that long (short waits) or give the reconcile back.
   */
  public synchronized Duration tryAcquire() {
    long now = ticker.nanos();
    if (now < pausedUntilNanos) {
      return Duration.ofNanos(pausedUntilNanos - now);
    }
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil((1 - tokens) / ratePerSecond * 1e9));
  }

  /**
   * Applies new limits in place: tokens earned so far and a pause the remote asked for stay (a
   * new bucket would hand out a fresh burst and forget the pause).
   */
  public synchronized void limit(double rate, int burst) {
    if (rate <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    refill(ticker.nanos());
    ratePerSecond = rate;
    capacity = burst;
    tokens = Math.min(tokens, capacity);
  }

  synchronized double ratePerSecond() {
    return ratePerSecond;
  }

  synchronized int burst() {
    return (int) capacity;
  }

  /** Stops handing out tokens for {@code pause}, as a 429 with Retry-After asks. */
  public synchronized void pauseFor(Duration pause) {
    long until = ticker.nanos() + pause.toNanos();
    pausedUntilNanos = Math.max(pausedUntilNanos, until);
  }

  private void refill(long now) {
    double elapsedSeconds = (now - lastRefillNanos) / 1e9;
    tokens = Math.min(capacity, tokens + elapsedSeconds * ratePerSecond);
    lastRefillNanos = now;
  }
}

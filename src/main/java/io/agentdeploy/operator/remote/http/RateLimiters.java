package io.agentdeploy.operator.remote.http;

import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.remote.RemoteException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link TokenBucket} per remote account, shared by every resource that talks to it. A caller
 * waits for short gaps; a longer wait (a remote 429 pause) is handed back to the reconciler as
 * {@link RemoteException.Kind#RATE_LIMITED} so no worker thread sleeps for long.
 */
public final class RateLimiters {
  /** Longest time a caller blocks in place before giving the reconcile back. */
  static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(2);

  /**
   * How long a limit some ControlPlane asked for keeps counting after it was last asked for: longer
   * than a resync, so a ControlPlane that still exists always counts.
   */
  static final Duration LIMIT_MEMORY = Duration.ofMinutes(30);

  /** An account's bucket and the limits its ControlPlanes asked for, with when each was last asked. */
  private record Account(TokenBucket bucket, Map<Limit, Long> asked) {}

  private record Limit(double rate, int burst) {}

  private final Map<AccountKey, Account> accounts = new ConcurrentHashMap<>();
  private final TokenBucket.Ticker ticker;

  public RateLimiters() {
    this(System::nanoTime);
  }

  RateLimiters(TokenBucket.Ticker ticker) {
    this.ticker = ticker;
  }

  /**
   * The one bucket of {@code account}. Several ControlPlanes (or one with the default) may name the
   * same account with different limits: the bucket applies the lowest rate and the lowest burst
   * asked for within {@link #LIMIT_MEMORY}, changed in place, so callers never swap buckets (and a
   * 429's pause is never dropped by a swap).
   */
  public TokenBucket bucketFor(AccountKey account, double ratePerSecond, int burst) {
    long now = ticker.nanos();
    Account state = accounts.compute(account, (key, existing) -> {
      Account a = existing != null ? existing
          : new Account(new TokenBucket(ratePerSecond, burst, ticker), new ConcurrentHashMap<>());
      a.asked().put(new Limit(ratePerSecond, burst), now);
      a.asked().values().removeIf(seen -> now - seen > LIMIT_MEMORY.toNanos());
      double rate = a.asked().keySet().stream().mapToDouble(Limit::rate).min().orElse(ratePerSecond);
      int lowestBurst = a.asked().keySet().stream().mapToInt(Limit::burst).min().orElse(burst);
      if (a.bucket().ratePerSecond() != rate || a.bucket().burst() != lowestBurst) {
        a.bucket().limit(rate, lowestBurst);
      }
      return a;
    });
    return state.bucket();
  }

  /** Blocks for a token, up to {@link #MAX_INLINE_WAIT}; beyond that throws RATE_LIMITED. */
  public static void acquire(TokenBucket bucket) {
    while (true) {
      Duration wait = bucket.tryAcquire();
      if (wait.isZero()) {
        return;
      }
      if (wait.compareTo(MAX_INLINE_WAIT) > 0) {
        throw new RemoteException(RemoteException.Kind.RATE_LIMITED, 0,
            "client-side rate limit for this control plane account: next request allowed in " + wait.toMillis() + " ms",
            wait, null, null);
      }
      try {
        Thread.sleep(Math.max(1, wait.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RemoteException(RemoteException.Kind.RETRYABLE, 0, "interrupted while waiting for the rate limiter",
            null, null, e);
      }
    }
  }
}

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

  private final Map<AccountKey, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final TokenBucket.Ticker ticker;

  public RateLimiters() {
    this(System::nanoTime);
  }

  RateLimiters(TokenBucket.Ticker ticker) {
    this.ticker = ticker;
  }

  /** The bucket of {@code account}; the first caller's limits create it, later changes replace it. */
  public TokenBucket bucketFor(AccountKey account, double ratePerSecond, int burst) {
    return buckets.compute(account, (key, existing) -> existing != null && existing.matches(ratePerSecond, burst)
        ? existing : new TokenBucket(ratePerSecond, burst, ticker));
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

package io.agentdeploy.operator.remote.http;

import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.remote.RemoteException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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

  /**
   * An account's bucket and the limits asked for it, per owner (a ControlPlane, named by its caller),
   * with when each was last asked, and the limit the bucket applies now.
   */
  private record Account(TokenBucket bucket, Map<String, Asked> asked, EffectiveLimit[] applied) {}

  private record Asked(String owner, double rate, int burst, long seenNanos) {}

  /** Prefix of owners that were not named (callers of the three-argument {@link #bucketFor}). */
  private static final String ANONYMOUS = ":anonymous:";

  private final Map<AccountKey, Account> accounts = new ConcurrentHashMap<>();
  private final TokenBucket.Ticker ticker;
  private final CopyOnWriteArrayList<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

  public RateLimiters() {
    this(System::nanoTime);
  }

  RateLimiters(TokenBucket.Ticker ticker) {
    this.ticker = ticker;
  }

  /** {@link #bucketFor(AccountKey, double, int, String)} for a caller that names no owner. */
  public TokenBucket bucketFor(AccountKey account, double ratePerSecond, int burst) {
    return bucketFor(account, ratePerSecond, burst, null);
  }

  /**
   * The one bucket of {@code account}. Several ControlPlanes (or one with the default) may name the
   * same account with different limits: the bucket applies the lowest rate and the lowest burst
   * asked for within {@link #LIMIT_MEMORY}, changed in place, so callers never swap buckets (and a
   * 429's pause is never dropped by a swap). An owner's newer ask replaces its older one.
   *
   * @param owner who asks (e.g. "namespace/name"), shown as who set the limit; null when unnamed
   */
  public TokenBucket bucketFor(AccountKey account, double ratePerSecond, int burst, String owner) {
    long now = ticker.nanos();
    String key = owner != null ? owner : ANONYMOUS + ratePerSecond + "/" + burst;
    EffectiveLimit[] change = new EffectiveLimit[2];
    Account state = accounts.compute(account, (k, existing) -> {
      Account a = existing != null ? existing : new Account(new TokenBucket(ratePerSecond, burst, ticker),
          new ConcurrentHashMap<>(), new EffectiveLimit[1]);
      a.asked().put(key, new Asked(owner, ratePerSecond, burst, now));
      a.asked().values().removeIf(seen -> now - seen.seenNanos() > LIMIT_MEMORY.toNanos());
      EffectiveLimit next = effectiveOf(a.asked());
      if (a.bucket().ratePerSecond() != next.requestsPerSecond() || a.bucket().burst() != next.burst()) {
        a.bucket().limit(next.requestsPerSecond(), next.burst());
      }
      change[0] = a.applied()[0];
      change[1] = next;
      a.applied()[0] = next;
      return a;
    });
    if (change[0] != null && !change[0].equals(change[1])) {
      notifyOwners(state);
    }
    return state.bucket();
  }

  /** The limit {@code account}'s bucket applies now and who set it; empty before anyone asked. */
  public Optional<EffectiveLimit> effective(AccountKey account) {
    Account a = accounts.get(account);
    return a == null ? Optional.empty() : Optional.ofNullable(a.applied()[0]);
  }

  /**
   * Calls {@code listener} with the owners sharing an account whenever the limit applied to it
   * changes, so each can show the new one. Called on the asking thread: keep it short.
   */
  public void onLimitChange(Consumer<Set<String>> listener) {
    listeners.add(listener);
  }

  /** Drops what {@code owner} asked for (it was deleted): a limit it lowered rises at once. */
  public void forget(String owner) {
    for (AccountKey key : accounts.keySet()) {
      boolean[] changed = {false};
      Account state = accounts.computeIfPresent(key, (k, a) -> {
        // The last owner gone: the bucket stays as it is (with any pause) until it is asked again.
        if (a.asked().remove(owner) != null && !a.asked().isEmpty()) {
          EffectiveLimit next = effectiveOf(a.asked());
          a.bucket().limit(next.requestsPerSecond(), next.burst());
          changed[0] = !next.equals(a.applied()[0]);
          a.applied()[0] = next;
        }
        return a;
      });
      if (changed[0] && state != null) {
        notifyOwners(state);
      }
    }
  }

  private void notifyOwners(Account a) {
    Set<String> owners = a.asked().values().stream().map(Asked::owner).filter(o -> o != null)
        .collect(java.util.stream.Collectors.toSet());
    listeners.forEach(l -> l.accept(owners));
  }

  /** Lowest rate and lowest burst; the setter is the owner of the lowest rate (ties: the first name). */
  private static EffectiveLimit effectiveOf(Map<String, Asked> asked) {
    Asked lowest = asked.values().stream().min(Comparator.comparingDouble(Asked::rate)
        .thenComparing(x -> x.owner() == null ? "" : x.owner())).orElseThrow();
    int burst = asked.values().stream().mapToInt(Asked::burst).min().orElseThrow();
    boolean lowered = asked.values().stream().anyMatch(x -> x.rate() > lowest.rate());
    return new EffectiveLimit(lowest.rate(), burst, lowest.owner(), lowered);
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

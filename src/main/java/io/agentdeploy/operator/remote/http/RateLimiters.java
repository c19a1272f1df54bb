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
import java.util.function.Predicate;

/**
 * One {@link TokenBucket} per remote account, shared by every resource that talks to it. A reconcile
 * pass never waits for a token: it reserves one and is handed back to the reconciler as
 * {@link RemoteException.Kind#RATE_LIMITED}, due when its token is (see {@link #acquire}).
 */
public final class RateLimiters {
  /** Longest time a caller outside a {@link CallScope} (a ControlPlane check) blocks in place before giving up. */
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

  /**
   * The sweep of a control-plane kind: drops the asks of the owners {@code ours} recognises that
   * are not in {@code live} (deleted without their cleanup, so {@link #forget} never ran), then
   * accounts nobody asks for any more once their bucket is {@link TokenBucket#idle idle} (no
   * pause running, no reservation held), so an account no control plane uses leaves no entry.
   */
  public void retainOwners(Predicate<String> ours, Set<String> live) {
    for (AccountKey key : accounts.keySet()) {
      boolean[] changed = {false};
      Account state = accounts.computeIfPresent(key, (k, a) -> {
        boolean dropped = a.asked().values().removeIf(x -> x.owner() != null && ours.test(x.owner())
            && !live.contains(x.owner()));
        if (a.asked().isEmpty()) {
          return a.bucket().idle() ? null : a;
        }
        if (dropped) {
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

  /** How many accounts have a bucket (for tests of the sweep). */
  int accounts() {
    return accounts.size();
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

  /**
   * Takes a token for the next call. Inside a {@link CallScope} (a reconcile pass) the thread never
   * waits: without a token now, tokens for the pass's calls up to this one are reserved and
   * RATE_LIMITED is thrown with the time they are due, so the reconcile is given back and comes back
   * for them ({@link #reservedHere}). Outside one (a ControlPlane check, the batch poller) the
   * caller queues ahead of every pass and waits in place while each wait is at most
   * {@link #MAX_INLINE_WAIT}; a longer one gives its place up and throws RATE_LIMITED.
   */
  public static void acquire(TokenBucket bucket) {
    CallScope.Pass pass = CallScope.current();
    if (pass != null) {
      if (!pass.usePrepaid(bucket)) {
        reserve(bucket, pass);
      }
      return;
    }
    // A ControlPlane check gates every resource of its account: it queues ahead of the passes (behind
    // their reservations it would time out), and gives its place up if it does not wait.
    String holder = INLINE + Thread.currentThread().getId();
    while (true) {
      Duration wait = bucket.reserve(holder, CallScope.Priority.IN_PLACE);
      if (wait.isZero()) {
        return;
      }
      if (wait.compareTo(MAX_INLINE_WAIT) > 0) {
        bucket.cancel(holder);
        throw new RemoteException(RemoteException.Kind.RATE_LIMITED, 0,
            "client-side rate limit for this control plane account: next request allowed in " + wait.toMillis() + " ms",
            wait, null, null);
      }
      try {
        Thread.sleep(Math.max(1, wait.toMillis()));
      } catch (InterruptedException e) {
        bucket.cancel(holder);
        Thread.currentThread().interrupt();
        throw new RemoteException(RemoteException.Kind.RETRYABLE, 0, "interrupted while waiting for the rate limiter",
            null, null, e);
      }
    }
  }

  /** Holders of callers that wait in place, per thread (never a resource's holder). */
  private static final String INLINE = ":inline:";

  /**
   * Call {@code n} of the pass takes a token held by the pass's holder; without one, the holder
   * reserves n + 1 (this call and the ones before it, which the retried pass makes again; after a
   * write only those since it, at routine priority) and the pass is given back, due when they are.
   */
  private static void reserve(TokenBucket bucket, CallScope.Pass pass) {
    int call = pass.nextCall(bucket);
    Duration wait = bucket.take(pass.holder, pass.remaining(), pass.tokensToResume(bucket, call));
    if (!wait.isZero()) {
      throw new RemoteException(RemoteException.Kind.RATE_LIMITED, 0, RESERVED + wait.toMillis() + " ms",
          wait, null, null);
    }
  }

  /**
   * Takes now the token of the pass's next call to the account it last called (see
   * {@link CallScope#prepayNextCall}); throws RATE_LIMITED, reserved, when there is none.
   */
  static void prepay(CallScope.Pass pass) {
    TokenBucket bucket = pass.lastBucket();
    if (bucket != null && !pass.hasPrepaid(bucket)) {
      reserve(bucket, pass);
      pass.prepaid(bucket);
    }
  }

  private static final String RESERVED = "client-side rate limit for this control plane account: a request is "
      + "reserved in ";

  /**
   * True for the RATE_LIMITED of a call {@link #acquire} reserved a token for: the reconcile comes
   * back at {@link RemoteException#retryAfter} and finds it. Nothing went wrong; the control plane
   * did not even hear of it.
   */
  public static boolean reservedHere(RemoteException e) {
    return e.kind() == RemoteException.Kind.RATE_LIMITED && e.httpStatus() == 0 && e.getMessage() != null
        && e.getMessage().startsWith(RESERVED);
  }
}

package io.agentdeploy.operator.remote.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A token bucket with a pause: the steady client-side limit for one account, plus the
 * {@code Retry-After} the remote asked for, which then applies to every caller of the account.
 *
 * <p>A caller that cannot have a token now may {@link #take reserve} some: it joins a queue (callers
 * that wait in place first, then urgent holders, then routine ones, each queue in arrival order), is
 * told when its tokens should be
 * there, and comes back then to use them. A reservation asks for as many tokens as its holder's
 * pass had made calls when it found none, so the pass that comes back gets through the same calls
 * instead of spending its reservation on the first and queueing again for the next.
 *
 * <p>Granted tokens still count as the bucket's: free and granted tokens together never exceed the
 * burst, and what the rate earns beyond it is lost, as in any token bucket. Holders that come back
 * late, or all at once, therefore never send more than the burst plus the rate would allow.
 * Tokens a pass did not use go back when the pass ends ({@link #release}); a reservation nobody
 * comes back for is dropped after {@link #CLAIM_GRACE}.
 */
public final class TokenBucket {
  /** How long a reservation waits for its holder past the time it was promised before it is dropped. */
  static final Duration CLAIM_GRACE = Duration.ofSeconds(10);
  /**
   * How far a pass longer than the burst may borrow from tokens still to come: more than the calls
   * of the longest reconcile pass (a lookup, a create, and the reads that follow), so such a pass
   * completes rather than being given back at the same call every time.
   */
  static final int MAX_DEBT = 8;

  private double ratePerSecond;
  private double capacity;
  private final Ticker ticker;
  /** Free tokens; below zero only while a pass longer than the burst pays its extra calls back. */
  private double tokens;
  /** Tokens granted to reservations and not used yet. */
  private int granted;
  private long lastRefillNanos;
  private long pausedUntilNanos;
  private final Map<String, Reservation> reservations = new HashMap<>();
  private final ArrayDeque<Reservation> inPlace = new ArrayDeque<>();
  private final ArrayDeque<Reservation> urgent = new ArrayDeque<>();
  private final ArrayDeque<Reservation> routine = new ArrayDeque<>();

  /** A holder's place in a queue; once granted, the tokens it holds until its pass uses or releases them. */
  private static final class Reservation {
    final String holder;
    CallScope.Priority priority;
    int wanted;
    boolean granted;
    int remaining;
    /** The holder's pass has begun to use the grant: what it leaves goes back when the pass ends. */
    boolean inUse;
    long expiresAtNanos;

    Reservation(String holder, CallScope.Priority priority, int wanted) {
      this.holder = holder;
      this.priority = priority;
      this.wanted = wanted;
    }
  }

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
   * Takes a token if one is free now and nobody is queued; otherwise returns how long until one
   * will be, reserving nothing. Tests use it as a caller without a reservation; the operator's
   * callers all go through {@link #take}.
   */
  synchronized Duration tryAcquire() {
    long now = ticker.nanos();
    settle(now);
    if (now < pausedUntilNanos) {
      return Duration.ofNanos(pausedUntilNanos - now);
    }
    if (tokens >= 1 && nobodyQueued()) {
      tokens -= 1;
      return Duration.ZERO;
    }
    return Duration.ofNanos(paused(now) + nanosFor(queuedTokens() + 1));
  }

  /** {@link #take} for a caller that makes one call. */
  public synchronized Duration reserve(String holder, CallScope.Priority priority) {
    return take(holder, priority, 1);
  }

  /**
   * Takes a token for {@code holder}'s next call, its {@code calls}-th in this pass: from its
   * granted reservation, or a free one when nobody is queued (returns zero). Otherwise reserves
   * {@code calls} tokens (at most the burst), or keeps its place in the queue, and returns how long
   * until they should be there. A holder that asks again at a higher priority moves to that queue.
   *
   * <p>A pass longer than the burst cannot have all its calls reserved: past the burst it borrows
   * from tokens still to come (at most {@link #MAX_DEBT}), which delays everyone after it instead.
   */
  public synchronized Duration take(String holder, CallScope.Priority priority, int calls) {
    long now = ticker.nanos();
    settle(now);
    Reservation r = reservations.get(holder);
    if (r != null && r.granted) {
      if (now < pausedUntilNanos) {
        // A 429's pause holds for tokens granted before it too: they stay their holder's.
        r.expiresAtNanos = Math.max(r.expiresAtNanos, pausedUntilNanos + CLAIM_GRACE.toNanos());
        return Duration.ofNanos(pausedUntilNanos - now);
      }
      use(r);
      return Duration.ZERO;
    }
    if (now >= pausedUntilNanos) {
      if (r == null && tokens >= 1 && nobodyQueued()) {
        tokens -= 1;
        return Duration.ZERO;
      }
      if (calls > capacity && tokens - 1 >= -MAX_DEBT) {
        tokens -= 1;
        return Duration.ZERO;
      }
    }
    return hold(holder, priority, (int) Math.min(calls, capacity), now);
  }

  /**
   * The pass of {@code holder} is over: tokens of its grant it did not use go back to the bucket. A
   * reservation it is still waiting for keeps its place.
   */
  public synchronized void release(String holder) {
    Reservation r = reservations.get(holder);
    if (r != null && r.granted && r.inUse) {
      reservations.remove(holder);
      giveBack(r);
      settle(ticker.nanos());
    }
  }

  /** Drops {@code holder}'s reservation: out of the queue, or its granted tokens back into the bucket. */
  public synchronized void cancel(String holder) {
    Reservation r = reservations.remove(holder);
    if (r != null && r.granted) {
      giveBack(r);
    } else if (r != null) {
      queueOf(r.priority).remove(r);
    }
    settle(ticker.nanos());
  }

  /** Reservations that wait for tokens now (granted ones excluded); for tests and logs. */
  synchronized int queued() {
    return inPlace.size() + urgent.size() + routine.size();
  }

  private boolean nobodyQueued() {
    return inPlace.isEmpty() && urgent.isEmpty() && routine.isEmpty();
  }

  /** Tokens granted and not used yet; for tests. */
  synchronized int grantedTokens() {
    return granted;
  }

  private void use(Reservation r) {
    r.inUse = true;
    r.remaining--;
    granted--;
    if (r.remaining == 0) {
      reservations.remove(r.holder);
    }
  }

  private void giveBack(Reservation r) {
    granted -= r.remaining;
    tokens += r.remaining;
    r.remaining = 0;
  }

  private Duration hold(String holder, CallScope.Priority priority, int wanted, long now) {
    Reservation r = reservations.get(holder);
    if (r == null) {
      r = new Reservation(holder, priority, wanted);
      reservations.put(holder, r);
      queueOf(priority).addLast(r);
    } else {
      r.wanted = Math.max(r.wanted, wanted);
      if (priority.ordinal() < r.priority.ordinal()) {
        queueOf(r.priority).remove(r);
        r.priority = priority;
        queueOf(priority).addLast(r);
      }
    }
    grantQueued(now);
    if (r.granted) {
      use(r);
      return Duration.ZERO;
    }
    Duration wait = Duration.ofNanos(paused(now) + nanosFor(tokensUpTo(r)));
    r.expiresAtNanos = now + wait.toNanos() + CLAIM_GRACE.toNanos();
    return wait;
  }

  private ArrayDeque<Reservation> queueOf(CallScope.Priority priority) {
    return switch (priority) {
      case IN_PLACE -> inPlace;
      case URGENT -> urgent;
      case ROUTINE -> routine;
    };
  }

  /** Tokens the queue needs up to and including {@code r}, in the order they are granted. */
  private int tokensUpTo(Reservation r) {
    int needed = 0;
    for (ArrayDeque<Reservation> queue : java.util.List.of(inPlace, urgent, routine)) {
      for (Reservation ahead : queue) {
        needed += Math.min(ahead.wanted, (int) capacity);
        if (ahead == r) {
          return needed;
        }
      }
    }
    return needed;
  }

  private int queuedTokens() {
    int needed = 0;
    for (Reservation r : inPlace) {
      needed += Math.min(r.wanted, (int) capacity);
    }
    for (Reservation r : urgent) {
      needed += Math.min(r.wanted, (int) capacity);
    }
    for (Reservation r : routine) {
      needed += Math.min(r.wanted, (int) capacity);
    }
    return needed;
  }

  /**
   * How long until {@code needed} more tokens are earned at the current rate. Tokens held by
   * grants not used yet count as spent: they may be, any moment.
   */
  private long nanosFor(int needed) {
    double missing = Math.max(0, needed - tokens);
    return (long) Math.ceil(missing / ratePerSecond * 1e9);
  }

  private long paused(long now) {
    return Math.max(0, pausedUntilNanos - now);
  }

  /** Refills, drops reservations nobody came back for (a granted one's tokens go back), grants the queue. */
  private void settle(long now) {
    double elapsedSeconds = (now - lastRefillNanos) / 1e9;
    tokens += elapsedSeconds * ratePerSecond;
    lastRefillNanos = now;
    for (Iterator<Reservation> it = reservations.values().iterator(); it.hasNext(); ) {
      Reservation r = it.next();
      if (now - r.expiresAtNanos > 0) {
        it.remove();
        if (r.granted) {
          giveBack(r);
        } else {
          queueOf(r.priority).remove(r);
        }
      }
    }
    cap();
    grantQueued(now);
  }

  /**
   * Free and granted tokens together never exceed the burst: what is earned beyond it is lost. After
   * a lowered limit the grants made under the old one may alone exceed the new burst; the free tokens
   * then stay at no less than minus one burst rather than owing all of those grants for many seconds.
   */
  private void cap() {
    tokens = Math.min(tokens, Math.max(capacity - granted, Math.min(tokens, -capacity)));
  }

  /** Hands whole reservations their tokens, in-place callers first, then urgent, in order, unless paused. */
  private void grantQueued(long now) {
    if (now < pausedUntilNanos) {
      return;
    }
    while (true) {
      Reservation next = !inPlace.isEmpty() ? inPlace.peekFirst()
          : !urgent.isEmpty() ? urgent.peekFirst() : routine.peekFirst();
      if (next == null) {
        return;
      }
      int wanted = Math.min(next.wanted, (int) capacity);
      if (tokens < wanted) {
        return;
      }
      queueOf(next.priority).pollFirst();
      next.granted = true;
      next.remaining = wanted;
      tokens -= wanted;
      granted += wanted;
    }
  }

  /**
   * Applies new limits in place: tokens earned so far and a pause the remote asked for stay (a
   * new bucket would hand out a fresh burst and forget the pause).
   */
  public synchronized void limit(double rate, int burst) {
    if (rate <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    settle(ticker.nanos());
    ratePerSecond = rate;
    capacity = burst;
    // Grants made under a higher limit stay their holders'; they are not owed as a debt of many
    // seconds (a ControlPlane check after the change would wait that long): see cap().
    cap();
  }

  synchronized double ratePerSecond() {
    return ratePerSecond;
  }

  synchronized int burst() {
    return (int) capacity;
  }

  /** True when dropping the bucket loses nothing: no pause the remote asked for is running, nobody holds a reservation. */
  synchronized boolean idle() {
    long now = ticker.nanos();
    settle(now); // reservations nobody came back for go first
    return now >= pausedUntilNanos && reservations.isEmpty();
  }

  /** Stops handing out tokens for {@code pause}, as a 429 with Retry-After asks. */
  public synchronized void pauseFor(Duration pause) {
    long until = ticker.nanos() + pause.toNanos();
    pausedUntilNanos = Math.max(pausedUntilNanos, until);
  }
}

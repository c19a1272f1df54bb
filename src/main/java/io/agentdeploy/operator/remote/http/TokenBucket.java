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
 * <p>A caller that cannot have a token now may {@link #reserve} one: it joins a queue (urgent
 * holders ahead of routine ones, each queue in arrival order), is told when its token should be
 * there, and comes back then to take it. Tokens go to the queue before anyone who arrives later,
 * so waits are bounded and fair, and a reservation never spends more than the rate: a token is
 * granted to a reservation only when the bucket has it, and one its holder does not come back for
 * goes back to the bucket.
 */
public final class TokenBucket {
  /** How long a reservation waits for its holder past the time it was promised before it is dropped. */
  static final Duration CLAIM_GRACE = Duration.ofSeconds(30);

  private double ratePerSecond;
  private double capacity;
  private final Ticker ticker;
  private double tokens;
  private long lastRefillNanos;
  private long pausedUntilNanos;
  private final Map<String, Reservation> reservations = new HashMap<>();
  private final ArrayDeque<Reservation> urgent = new ArrayDeque<>();
  private final ArrayDeque<Reservation> routine = new ArrayDeque<>();

  /** A holder's place in a queue; granted once the bucket gave it a token, which it keeps until claimed. */
  private static final class Reservation {
    final String holder;
    CallScope.Priority priority;
    boolean granted;
    long expiresAtNanos;

    Reservation(String holder, CallScope.Priority priority) {
      this.holder = holder;
      this.priority = priority;
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
   * Takes a token if one is free now; otherwise returns how long until one will be, reserving
   * nothing. Callers either sleep that long (short waits) or give the reconcile back.
   */
  public synchronized Duration tryAcquire() {
    long now = ticker.nanos();
    settle(now);
    if (now < pausedUntilNanos) {
      return Duration.ofNanos(pausedUntilNanos - now);
    }
    // Reserved tokens are served first: someone without a reservation comes after the queue.
    if (tokens >= 1 && urgent.isEmpty() && routine.isEmpty()) {
      tokens -= 1;
      return Duration.ZERO;
    }
    return untilPosition(urgent.size() + routine.size() + 1, now);
  }

  /**
   * Takes a token for {@code holder} now if it has a granted reservation, or if one is free and
   * nobody is queued (returns zero); otherwise reserves one (or keeps its place in the queue) and
   * returns how long until its token should be there. Whoever comes back after that time with the
   * same holder takes the reserved token. A routine holder that turns urgent moves to the urgent queue.
   */
  public synchronized Duration reserve(String holder, CallScope.Priority priority) {
    long now = ticker.nanos();
    settle(now);
    Reservation r = reservations.get(holder);
    if (r != null && r.granted) {
      if (now < pausedUntilNanos) {
        // A 429's pause holds for tokens granted before it too: the token stays its holder's.
        r.expiresAtNanos = Math.max(r.expiresAtNanos, pausedUntilNanos + CLAIM_GRACE.toNanos());
        return Duration.ofNanos(pausedUntilNanos - now);
      }
      reservations.remove(holder);
      return Duration.ZERO;
    }
    if (r == null && now >= pausedUntilNanos && tokens >= 1 && urgent.isEmpty() && routine.isEmpty()) {
      tokens -= 1;
      return Duration.ZERO;
    }
    return hold(holder, priority, now);
  }

  /**
   * Reserves a token for {@code holder} without taking one now (a token free now is granted to it
   * and kept for it); returns how long until it should be there, zero when it already is.
   */
  public synchronized Duration hold(String holder, CallScope.Priority priority) {
    long now = ticker.nanos();
    settle(now);
    return hold(holder, priority, now);
  }

  /** Drops {@code holder}'s reservation: out of the queue, or its granted token back into the bucket. */
  public synchronized void cancel(String holder) {
    Reservation r = reservations.remove(holder);
    if (r != null && r.granted) {
      tokens = Math.min(capacity, tokens + 1);
    } else if (r != null) {
      queueOf(r.priority).remove(r);
    }
  }

  /** Reservations that wait for a token now (granted ones excluded); for tests and logs. */
  synchronized int queued() {
    return urgent.size() + routine.size();
  }

  private Duration hold(String holder, CallScope.Priority priority, long now) {
    Reservation r = reservations.get(holder);
    if (r == null) {
      r = new Reservation(holder, priority);
      reservations.put(holder, r);
      queueOf(priority).addLast(r);
      grantQueued(now);
    } else if (!r.granted && priority == CallScope.Priority.URGENT && r.priority == CallScope.Priority.ROUTINE) {
      routine.remove(r);
      r.priority = priority;
      urgent.addLast(r);
      grantQueued(now);
    }
    Duration wait = r.granted ? Duration.ZERO : untilPosition(positionOf(r), now);
    r.expiresAtNanos = now + wait.toNanos() + CLAIM_GRACE.toNanos();
    return wait;
  }

  private ArrayDeque<Reservation> queueOf(CallScope.Priority priority) {
    return priority == CallScope.Priority.URGENT ? urgent : routine;
  }

  /** 1-based place of a waiting reservation in the order tokens are handed out. */
  private int positionOf(Reservation r) {
    int position = 1;
    if (r.priority == CallScope.Priority.ROUTINE) {
      position += urgent.size();
    }
    for (Reservation ahead : queueOf(r.priority)) {
      if (ahead == r) {
        break;
      }
      position++;
    }
    return position;
  }

  /** When the {@code position}-th token from now will be there: after any pause, at the current rate. */
  private Duration untilPosition(int position, long now) {
    long paused = Math.max(0, pausedUntilNanos - now);
    double missing = Math.max(0, position - tokens);
    return Duration.ofNanos(paused + (long) Math.ceil(missing / ratePerSecond * 1e9));
  }

  /** Refills, drops reservations nobody came back for (a granted one's token goes back), grants the queue. */
  private void settle(long now) {
    refill(now);
    for (Iterator<Reservation> it = reservations.values().iterator(); it.hasNext(); ) {
      Reservation r = it.next();
      if (now - r.expiresAtNanos > 0) {
        it.remove();
        if (r.granted) {
          tokens = Math.min(capacity, tokens + 1);
        } else {
          queueOf(r.priority).remove(r);
        }
      }
    }
    grantQueued(now);
    // Tokens earned while reservations waited went to them as they came; only what is left is capped.
    tokens = Math.min(capacity, tokens);
  }

  /** Hands the bucket's whole tokens to the waiting reservations, urgent first, unless paused. */
  private void grantQueued(long now) {
    if (now < pausedUntilNanos) {
      return;
    }
    while (tokens >= 1 && !(urgent.isEmpty() && routine.isEmpty())) {
      Reservation next = urgent.isEmpty() ? routine.pollFirst() : urgent.pollFirst();
      next.granted = true;
      tokens -= 1;
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

  /** Adds what was earned since the last refill, uncapped: {@link #settle} caps it after serving the queue. */
  private void refill(long now) {
    double elapsedSeconds = (now - lastRefillNanos) / 1e9;
    tokens = tokens + elapsedSeconds * ratePerSecond;
    lastRefillNanos = now;
  }
}

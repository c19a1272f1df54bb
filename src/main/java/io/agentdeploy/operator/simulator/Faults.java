package io.agentdeploy.operator.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * Fault injection: queued one-shot faults per operation, a whole-remote outage switch, fixed
 * latency, a seeded random 500 rate, and a seeded {@link ChaosPlan} for chaos tests.
 */
public final class Faults {
  private final Map<SimOperation, Deque<Fault>> queued = new EnumMap<>(SimOperation.class);
  private final Deque<Fault> queuedForAll = new ArrayDeque<>();
  private final Map<SimOperation, Fault> standing = new EnumMap<>(SimOperation.class);
  private volatile boolean down;
  private volatile long latencyMillis;
  private volatile double faultRate;
  private volatile ChaosPlan chaos;
  /** While set ({@link Fault.Hang} or {@link Fault.StallMidBody}) every call stalls that way. */
  private volatile Fault stall;
  private final StalledExchanges stalled = new StalledExchanges();
  private final Random random;

  Faults(long seed, Duration latency, double faultRate) {
    this.random = new Random(seed);
    this.latencyMillis = latency.toMillis();
    this.faultRate = faultRate;
  }

  /** The next {@code times} calls of {@code operation} get {@code fault}. */
  public synchronized Faults next(SimOperation operation, int times, Fault fault) {
    Deque<Fault> q = queued.computeIfAbsent(operation, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(fault);
    }
    return this;
  }

  /**
   * Test and sandbox control, not either API's behaviour: every call of {@code operation} gets
   * {@code fault} until {@link #clear} or {@code always(operation, null)} (after queued one-shot
   * faults). E.g. {@code always(DELETE_DEPLOYMENTS, new Fault.Status(207))} answers every LangSmith
   * bulk delete with a partial success that deleted nothing, and {@code Status(405)} or
   * {@link Fault.BareNotFound} plays a control plane without the bulk delete route.
   */
  public synchronized Faults always(SimOperation operation, Fault fault) {
    if (fault == null) {
      standing.remove(operation);
    } else {
      standing.put(operation, fault);
    }
    return this;
  }

  /** The next {@code times} calls of any operation get {@code fault}. */
  public synchronized Faults nextAny(int times, Fault fault) {
    for (int i = 0; i < times; i++) {
      queuedForAll.add(fault);
    }
    return this;
  }

  /** While down, every call answers 503. */
  public Faults down(boolean value) {
    down = value;
    return this;
  }

  /**
   * While {@code kind} is set ({@link Fault.Hang} or {@link Fault.StallMidBody}), every call stalls
   * that way (after the outage switch, before queued faults); null lifts the stall and closes every
   * exchange held so far, queued one-shot stalls' included.
   */
  public Faults stall(Fault kind) {
    if (kind != null && !(kind instanceof Fault.Hang) && !(kind instanceof Fault.StallMidBody)) {
      throw new IllegalArgumentException("not a stall: " + kind);
    }
    stall = kind;
    if (kind == null) {
      stalled.release();
    }
    return this;
  }

  /** How many exchanges a stall holds open now. */
  public int stalledExchanges() {
    return stalled.size();
  }

  StalledExchanges stalled() {
    return stalled;
  }

  public Faults latency(Duration value) {
    latencyMillis = value.toMillis();
    return this;
  }

  /** Probability that a call answers 500 (reads and writes alike); 0 turns it off. */
  public Faults faultRate(double value) {
    faultRate = value;
    return this;
  }

  /** Installs a seeded chaos plan (null removes it); it applies after queued faults, before {@link #faultRate}. */
  public Faults chaos(ChaosPlan plan) {
    chaos = plan;
    return this;
  }

  public ChaosPlan chaos() {
    return chaos;
  }

  /** How many queued one-shot faults for {@code operation} have not been taken yet. */
  public synchronized int queued(SimOperation operation) {
    Deque<Fault> q = queued.get(operation);
    return q == null ? 0 : q.size();
  }

  public synchronized void clear() {
    queued.clear();
    queuedForAll.clear();
    standing.clear();
    down = false;
    faultRate = 0;
    latencyMillis = 0;
    chaos = null;
    stall(null);
  }

  long latencyMillis() {
    return latencyMillis;
  }

  /** The fault for this call, if any (consumes a queued one). */
  synchronized Fault take(SimOperation operation) {
    if (down) {
      return new Fault.Status(503);
    }
    Fault stalling = stall;
    if (stalling != null) {
      return stalling;
    }
    Deque<Fault> q = queued.get(operation);
    if (q != null && !q.isEmpty()) {
      return q.poll();
    }
    if (!queuedForAll.isEmpty()) {
      return queuedForAll.poll();
    }
    Fault always = standing.get(operation);
    if (always != null) {
      return always;
    }
    ChaosPlan plan = chaos;
    if (plan != null) {
      Fault planned = plan.pick(operation);
      if (planned != null) {
        return planned;
      }
    }
    if (faultRate > 0 && random.nextDouble() < faultRate) {
      return new Fault.Status(500);
    }
    return null;
  }
}

package io.agentdeploy.operator.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A seeded random fault plan for chaos tests, in one readable place: per fault kind, how likely
 * it is and which operations it may hit. Installed with {@link Faults#chaos(ChaosPlan)}; queued
 * one-shot faults still come first. Every injected fault is counted per provider and kind, so a
 * test can print what it survived and insist that every kind really happened.
 *
 * <p>The random sequence is seeded, but which request draws which number depends on thread
 * timing, so two runs with the same seed are similar, not identical.
 */
public final class ChaosPlan {

  /** The kinds of fault the plan injects. */
  public enum Kind {
    /** 500 with a {@code detail} body; any operation; state untouched. */
    SERVER_ERROR,
    /** 429 with {@code Retry-After: 1}; any operation; state untouched. */
    RATE_LIMITED,
    /** The write is applied, then the connection is cut before the answer: create, patch, redeploy and delete only. */
    LOST_ANSWER,
    /** The connection is cut without applying anything; any operation. */
    DROPPED,
    /** An ingress's HTML 404 page; single-object reads only; state untouched. */
    HTML_404,
    /** FastAPI's unknown-route {@code 404 {"detail":"Not Found"}}; single-object reads only; state untouched. */
    BARE_404;

    Fault fault() {
      return switch (this) {
        case SERVER_ERROR -> new Fault.Status(500);
        case RATE_LIMITED -> new Fault.RateLimited(1);
        case LOST_ANSWER -> new Fault.SaveThenFail(0);
        case DROPPED -> new Fault.Drop();
        case HTML_404 -> new Fault.HtmlNotFound();
        case BARE_404 -> new Fault.BareNotFound();
      };
    }
  }

  /** One line of the plan: {@code kind} hits a call of one of {@code operations} with {@code probability}. */
  public record Rule(Kind kind, double probability, Set<SimOperation> operations) {
    public Rule {
      if (probability < 0 || probability > 1) {
        throw new IllegalArgumentException("probability must be within [0, 1]: " + probability);
      }
      operations = Collections.unmodifiableSet(EnumSet.copyOf(operations));
    }
  }

  /** Every served operation (an unknown path is not an operation). */
  public static final Set<SimOperation> ANY = EnumSet.complementOf(EnumSet.of(SimOperation.UNKNOWN));
  /** LangSmith's writes: fewer than Agentex's per resource (one bulk DELETE for up to 100 deletions). */
  public static final Set<SimOperation> LANGSMITH_WRITES = EnumSet.of(SimOperation.CREATE_DEPLOYMENT,
      SimOperation.PATCH_DEPLOYMENT, SimOperation.DELETE_DEPLOYMENT, SimOperation.DELETE_DEPLOYMENTS,
      SimOperation.REDEPLOY_REVISION);
  public static final Set<SimOperation> AGENTEX_WRITES = EnumSet.of(SimOperation.AGENTEX_CREATE,
      SimOperation.AGENTEX_DELETE);
  /** Create, patch, redeploy and delete calls of both providers: where an answer can be lost after the change. */
  public static final Set<SimOperation> WRITES = union(LANGSMITH_WRITES, AGENTEX_WRITES);
  /** Reads of one object by id: where a misrouted 404 looks like "this object is gone". */
  public static final Set<SimOperation> SINGLE_READS = EnumSet.of(SimOperation.GET_DEPLOYMENT,
      SimOperation.GET_REVISION, SimOperation.AGENTEX_GET);

  /**
   * The default plan. Rates are per call of a matching operation; lost answers are frequent
   * because writes are few, 429s are rare because each one pauses the whole account for a second.
   */
  public static ChaosPlan standard(long seed) {
    return new ChaosPlan(seed, List.of(
        new Rule(Kind.SERVER_ERROR, 0.03, ANY),
        // About 1,500 calls per provider at n = 100: some 7 429s each. At 0.002 (3 expected) a run drew
        // none for one provider about one time in twenty, and the chaos test's minimum failed.
        new Rule(Kind.RATE_LIMITED, 0.005, ANY),
        // LangSmith makes about 1.6 writes per resource (create, half an edit, a share of a bulk
        // delete), Agentex about 3: the rates give each provider some 40 lost answers at n = 100, well over the chaos
        // test's minimum of 20 whatever the order of calls.
        new Rule(Kind.LOST_ANSWER, 0.25, LANGSMITH_WRITES),
        new Rule(Kind.LOST_ANSWER, 0.15, AGENTEX_WRITES),
        new Rule(Kind.DROPPED, 0.02, ANY),
        new Rule(Kind.HTML_404, 0.02, SINGLE_READS),
        new Rule(Kind.BARE_404, 0.02, SINGLE_READS)));
  }

  private final long seed;
  private final List<Rule> rules;
  private final Random random;
  private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();
  private volatile boolean enabled = true;

  public ChaosPlan(long seed, List<Rule> rules) {
    this.seed = seed;
    this.rules = List.copyOf(rules);
    this.random = new Random(seed);
  }

  public long seed() {
    return seed;
  }

  public List<Rule> rules() {
    return rules;
  }

  /** A copy of this plan with {@code kind}'s probability changed (same operations, same seed). */
  public ChaosPlan with(Kind kind, double probability) {
    List<Rule> out = new ArrayList<>();
    for (Rule r : rules) {
      out.add(r.kind() == kind ? new Rule(kind, probability, r.operations()) : r);
    }
    return new ChaosPlan(seed, out);
  }

  /** Pauses (false) or resumes injection; counts are kept. */
  public ChaosPlan enabled(boolean value) {
    enabled = value;
    return this;
  }

  public boolean enabled() {
    return enabled;
  }

  /** The fault for one call of {@code operation}, or null to serve it; one draw per call. */
  Fault pick(SimOperation operation) {
    if (!enabled) {
      return null;
    }
    double draw;
    synchronized (random) {
      draw = random.nextDouble();
    }
    double cumulative = 0;
    for (Rule rule : rules) {
      if (!rule.operations().contains(operation)) {
        continue;
      }
      cumulative += rule.probability();
      if (draw < cumulative) {
        record(provider(operation), rule.kind());
        return rule.kind().fault();
      }
    }
    return null;
  }

  private void record(String provider, Kind kind) {
    counts.computeIfAbsent(provider, p -> new AtomicLongArray(Kind.values().length)).incrementAndGet(kind.ordinal());
  }

  /** Which provider an operation belongs to: {@link Simulator#PROVIDER_AGENTEX} or {@link Simulator#PROVIDER_LANGSMITH}. */
  public static String provider(SimOperation operation) {
    return operation.name().startsWith("AGENTEX_") ? Simulator.PROVIDER_AGENTEX : Simulator.PROVIDER_LANGSMITH;
  }

  /** Faults injected so far for one provider's operations. */
  public long count(String provider, Kind kind) {
    AtomicLongArray c = counts.get(provider);
    return c == null ? 0 : c.get(kind.ordinal());
  }

  /** Faults injected so far, both providers. */
  public long count(Kind kind) {
    return count(Simulator.PROVIDER_LANGSMITH, kind) + count(Simulator.PROVIDER_AGENTEX, kind);
  }

  /** Faults injected so far for one provider, every kind (zeros included), in declaration order. */
  public Map<Kind, Long> counts(String provider) {
    Map<Kind, Long> out = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      out.put(k, count(provider, k));
    }
    return out;
  }

  private static Set<SimOperation> union(Set<SimOperation> a, Set<SimOperation> b) {
    EnumSet<SimOperation> all = EnumSet.copyOf(a);
    all.addAll(b);
    return Collections.unmodifiableSet(all);
  }
}

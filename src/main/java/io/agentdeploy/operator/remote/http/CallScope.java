package io.agentdeploy.operator.remote.http;

import java.util.function.Supplier;

/**
 * Who the remote calls made on this thread are for, set by a reconciler around one pass: the rate
 * limiter reserves a token for that holder instead of making the thread wait, and serves
 * {@link Priority#URGENT} holders before routine ones (see {@link Priority}). The transport reads it; it never names a
 * controller, so the remote layer stays below the controllers.
 */
public final class CallScope {
  /**
   * Deletions and first creates go ahead of steady-state polls. Ahead of both go the callers that
   * wait in place outside any pass (ControlPlane checks, which gate every resource of the account;
   * the batch poller's lists, each standing in for 100 reads): they are few, and behind the
   * passes' queue a check would time out and hold every resource back.
   */
  public enum Priority { IN_PLACE, URGENT, ROUTINE }

  private static final ThreadLocal<Pass> CURRENT = new ThreadLocal<>();

  /** One pass: its holder, its priority, and how many calls it made so far per account (each has its own token). */
  static final class Pass {
    final String holder;
    final Priority priority;
    private final java.util.Map<TokenBucket, Integer> calls = new java.util.IdentityHashMap<>();
    /**
     * Calls to each account its retry will not make again: up to and including this pass's last
     * write to it, or up to a point whose answers are kept outside the pass ({@link #kept}).
     */
    private final java.util.Map<TokenBucket, Integer> notRepeated = new java.util.IdentityHashMap<>();
    /** Accounts whose next call's token was taken ahead ({@link #prepayNextCall}). */
    private final java.util.Set<TokenBucket> prepaid =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private TokenBucket lastBucket;
    private boolean sentWrite;

    Pass(String holder, Priority priority) {
      this.holder = holder;
      this.priority = priority;
    }

    /**
     * The ordinal of the next call in this pass to {@code bucket}'s account: a retried pass makes the
     * same calls in the same order.
     */
    int nextCall(TokenBucket bucket) {
      lastBucket = bucket;
      return calls.merge(bucket, 1, Integer::sum) - 1;
    }

    /**
     * How many tokens the retry of this pass needs to get back to call {@code call} (0-based) to
     * {@code bucket}: the calls since its last write there (or since what it {@link #kept}), and
     * this one. What came before the write is recorded by the status this pass writes, so the retry
     * does not make those calls again.
     */
    int tokensToResume(TokenBucket bucket, int call) {
      return call + 1 - notRepeated.getOrDefault(bucket, 0);
    }

    /** Marks the calls made so far to the last account as not made again by the retry. */
    void keepCallsSoFar() {
      if (lastBucket != null) {
        notRepeated.put(lastBucket, calls.getOrDefault(lastBucket, 0));
      }
    }

    /**
     * The priority of what is left of the pass: after a write, only reads that follow a rollout, which
     * queue with the steady-state polls, behind other resources' deletions and first creates.
     */
    Priority remaining() {
      return sentWrite && priority == Priority.URGENT ? Priority.ROUTINE : priority;
    }

    TokenBucket lastBucket() {
      return lastBucket;
    }

    boolean hasPrepaid(TokenBucket bucket) {
      return prepaid.contains(bucket);
    }

    void prepaid(TokenBucket bucket) {
      prepaid.add(bucket);
    }

    /** True when the token of this call to {@code bucket} was taken ahead ({@link #prepayNextCall}). */
    boolean usePrepaid(TokenBucket bucket) {
      return prepaid.remove(bucket);
    }
  }

  private CallScope() {}

  /**
   * Runs {@code work} with its remote calls held by {@code holder} (stable across passes of one
   * resource, e.g. its uid) at {@code priority}.
   */
  public static <T> T run(String holder, Priority priority, Supplier<T> work) {
    Pass outer = CURRENT.get();
    CURRENT.set(new Pass(holder, priority));
    try {
      return work.get();
    } finally {
      // Tokens the pass was granted and did not use go back at once, not when the grant expires.
      CURRENT.get().calls.keySet().forEach(bucket -> bucket.release(holder));
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** Notes that the pass sent {@code request}: a write's answer must be kept even if a later call is throttled. */
  static void sending(ApiRequest request) {
    Pass pass = CURRENT.get();
    if (pass != null && !"GET".equals(request.method())) {
      pass.sentWrite = true;
      if (pass.lastBucket != null) {
        pass.notRepeated.put(pass.lastBucket, pass.calls.getOrDefault(pass.lastBucket, 0));
      }
    }
  }

  /**
   * This thread's pass had its write sent by another pass's call (its id in an accepted bulk
   * delete): it learned something it must record, as if it had sent the write itself.
   */
  public static void writeSentOnItsBehalf() {
    Pass pass = CURRENT.get();
    if (pass != null) {
      pass.sentWrite = true;
    }
  }

  /**
   * What this pass's calls so far to the account it last called have learned is kept outside the
   * pass (a remembered answer), so its retry will not make them again: a throttled call after this
   * reserves its own token and none for them. Outside a pass it does nothing.
   */
  public static void kept() {
    Pass pass = CURRENT.get();
    if (pass != null) {
      pass.keepCallsSoFar();
    }
  }

  /**
   * True when this thread's pass has sent a write (POST, PATCH, DELETE) to a remote: what it learned
   * must be recorded, so a throttled call later in the pass does not let it drop its status write.
   */
  public static boolean sentWrite() {
    Pass pass = CURRENT.get();
    return pass != null && pass.sentWrite;
  }

  /**
   * Takes now the token of this pass's next call to the account it has been talking to, or gives
   * the pass back (RATE_LIMITED, reserved) if there is none. A pass calls it before it records a
   * write as about to be sent (a write-ahead record): refused afterwards, the record would claim a
   * call that never went out, and the resource would wait out its in-flight window for nothing.
   * Outside a pass, or before its first call, it does nothing.
   */
  public static void prepayNextCall() {
    Pass pass = CURRENT.get();
    if (pass != null) {
      RateLimiters.prepay(pass);
    }
  }

  /** The pass this thread works for, or null outside one (background pollers, ControlPlane checks). */
  static Pass current() {
    return CURRENT.get();
  }
}

package io.agentdeploy.operator.remote.langsmith;

import io.agentdeploy.operator.remote.http.Endpoint;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link DeleteBatcher} per account (base URL, credentials and trust: a batch goes out with one
 * caller's headers, so only callers with identical ones share it), and the account's deletion 404s
 * still to be listed ({@link UnlistedNotFounds}). Lives as long as the process, and so does what a
 * batcher learnt ("this control plane has no bulk delete").
 */
public final class BulkDeletes {
  /** The default window: short against a deletion's remote teardown, long enough to gather a burst. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMillis(100);
  /** The most latency batching may add to one delete (issue 12). */
  public static final Duration MAX_WINDOW = Duration.ofMillis(200);

  private final Duration window;
  private final ConcurrentMap<Endpoint.Credentials, DeleteBatcher> batchers = new ConcurrentHashMap<>();
  private final ConcurrentMap<Endpoint.Credentials, UnlistedNotFounds> unlistedNotFounds = new ConcurrentHashMap<>();

  /** @param window how long an open batch waits for more ids; positive, at most {@link #MAX_WINDOW} */
  public BulkDeletes(Duration window) {
    if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException("the delete batch window must be more than 0 and at most "
          + MAX_WINDOW.toMillis() + "ms, not " + window.toMillis() + "ms");
    }
    this.window = window;
  }

  DeleteBatcher forAccount(Endpoint endpoint) {
    return batchers.computeIfAbsent(endpoint.credentials(), a -> new DeleteBatcher(window));
  }

  /** The account's deletion reads that answered 404 and still wait for their list (see {@link UnlistedNotFounds}). */
  UnlistedNotFounds unlistedNotFoundsOf(Endpoint endpoint) {
    return unlistedNotFounds.computeIfAbsent(endpoint.credentials(), a -> new UnlistedNotFounds());
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.http.CallScope;
import io.agentdeploy.operator.remote.http.RateLimiters;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pass whose call found no token of the account's rate limit: the limiter reserved one, and the
 * pass is given back to come back when it is due. Nothing went wrong and nothing was learned, so
 * the pass writes nothing (no status, no event; the retry redoes it) and logs at debug only
 * (thousands of resources over budget would flood the log).
 */
final class Throttled {
  private static final Logger LOG = LoggerFactory.getLogger(Throttled.class);
  /** Comes back just after the token is due rather than just before it. */
  private static final Duration MARGIN = Duration.ofMillis(20);

  private Throttled() {}

  /** True when {@code e} is the limiter's reservation rather than the remote asking to slow down. */
  static boolean reserved(RemoteException e) {
    return RateLimiters.reservedHere(e);
  }

  /**
   * Marks the pass as given back and returns when to come back for the reserved token. It writes
   * nothing unless it already sent a write to the remote: then its status (an id, a revision) is
   * kept as usual, and only the throttled call waits for the retry.
   */
  static Duration giveBack(ReconcilePass p, RemoteException e) {
    p.givenBack = !CallScope.sentWrite();
    Duration due = e.retryAfter().orElse(Duration.ZERO).plus(MARGIN);
    LOG.debug("{}: no token of the account's rate limit now; one is reserved, back in {} ms", p.ref(), due.toMillis());
    return due;
  }

  /**
   * How the pass's remote calls queue for tokens: a deletion, a first create and a spec change go
   * ahead of steady-state polls.
   */
  static CallScope.Priority priorityOf(ReconcilePass p) {
    boolean urgent = p.resource.isMarkedForDeletion() || p.before.getDeploymentId() == null
        || !java.util.Objects.equals(p.resource.getMetadata().getGeneration(), p.before.getObservedGeneration());
    return urgent ? CallScope.Priority.URGENT : CallScope.Priority.ROUTINE;
  }
}

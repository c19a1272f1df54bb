package io.agentdeploy.operator.remote.langsmith;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One account's deployments that answered the API's own 404 to a deletion's read while the list
 * that confirms it was not sent or not answered (most often: no token of the account's budget).
 * The retried pass sends only the list: the list still comes after the 404, so the two halves of
 * the confirmation mean what they mean when sent back to back, and a throttled deletion does not
 * read its deployment twice for one confirmation. An entry expires (the deployment is read again)
 * after {@link #MAX_AGE}; deployment ids are never reused, so an older 404 would still be true, but
 * a fresh read keeps the rule simple to audit.
 */
final class UnlistedNotFounds {
  static final Duration MAX_AGE = Duration.ofMinutes(5);
  /** A bound far above any account's deletions in flight; past it the memory starts over. */
  private static final int MAX_ENTRIES = 100_000;

  private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  UnlistedNotFounds() {
    this(System::nanoTime);
  }

  UnlistedNotFounds(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  void remember(String deploymentId) {
    if (seenAt.size() >= MAX_ENTRIES) {
      seenAt.clear();
    }
    seenAt.put(key(deploymentId), nanoTime.getAsLong());
  }

  /** True when the API answered 404 for the id within {@link #MAX_AGE} and no list has been answered since. */
  boolean pending(String deploymentId) {
    Long at = seenAt.get(key(deploymentId));
    if (at == null) {
      return false;
    }
    if (nanoTime.getAsLong() - at > MAX_AGE.toNanos()) {
      seenAt.remove(key(deploymentId), at);
      return false;
    }
    return true;
  }

  void forget(String deploymentId) {
    seenAt.remove(key(deploymentId));
  }

  private static String key(String deploymentId) {
    return deploymentId.toLowerCase(Locale.ROOT);
  }
}

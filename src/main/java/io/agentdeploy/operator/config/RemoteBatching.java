package io.agentdeploy.operator.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How remote calls are gathered into batches. Kept beside {@link OperatorConfig}, not in it, so a
 * batching setting does not touch every positional use of that record.
 *
 * @param deleteWindow how long LangSmith deletes of one account are gathered into one bulk
 *     {@code DELETE /v2/deployments}: the most a delete waits for others (flag --delete-batch-window)
 */
public record RemoteBatching(Duration deleteWindow) {
  /** Batching may add at most this to one delete (issue 12's bound). */
  public static final Duration MAX_DELETE_WINDOW = Duration.ofMillis(200);

  public static RemoteBatching defaults() {
    return new RemoteBatching(Duration.ofMillis(100));
  }

  /** One line saying what is wrong with the settings, or empty when the operator can run with them. */
  public Optional<String> problem() {
    if (deleteWindow.isNegative() || deleteWindow.isZero()) {
      return Optional.of("error: --delete-batch-window (AGENTDEPLOY_DELETE_BATCH_WINDOW) must be more than 0, "
          + "e.g. 100ms; it is " + deleteWindow.toMillis() + "ms");
    }
    if (deleteWindow.compareTo(MAX_DELETE_WINDOW) > 0) {
      return Optional.of("error: --delete-batch-window (AGENTDEPLOY_DELETE_BATCH_WINDOW) must be at most "
          + MAX_DELETE_WINDOW.toMillis() + "ms (the latency batching may add to a delete); it is "
          + deleteWindow.toMillis() + "ms");
    }
    return Optional.empty();
  }
}

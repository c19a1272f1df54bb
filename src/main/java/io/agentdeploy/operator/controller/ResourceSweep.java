package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the per-resource memory of AgentDeployments that left the primary cache without a cleanup:
 * JOSDK calls {@code cleanup} only while the finalizer is there, so a finalizer removed by hand
 * (or a namespace force-deleted) would otherwise leave a backoff counter, a phase in the gauge,
 * and event memory behind for good. Run periodically (every resync interval) by the runtime.
 */
final class ResourceSweep implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceSweep.class);

  private final Cache<AgentDeployment> primary;
  private final Backoff backoff;
  private final NoProgress noProgress;
  private final OperatorMetrics metrics;
  private final EventRecorder events;
  private final AccountGuard accounts;

  ResourceSweep(Cache<AgentDeployment> primary, Backoff backoff, NoProgress noProgress, OperatorMetrics metrics,
      EventRecorder events, AccountGuard accounts) {
    this.primary = primary;
    this.backoff = backoff;
    this.noProgress = noProgress;
    this.metrics = metrics;
    this.events = events;
    this.accounts = accounts;
  }

  @Override
  public void run() {
    try {
      Set<String> live = primary.list().map(r -> r.getMetadata().getUid()).collect(Collectors.toSet());
      backoff.retainOnly(live);
      noProgress.retainOnly(live);
      metrics.retainOnly(live);
      events.retainOnly(new AgentDeployment().getKind(), live);
      accounts.retainOnly(live);
    } catch (RuntimeException e) {
      // A failed sweep only delays the next one; it must not end the scheduled task.
      LOG.warn("sweep of per-resource state failed: {}", e.toString());
    }
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the per-resource memory of objects that left a controller's primary cache without a
 * cleanup: JOSDK calls {@code cleanup} only while the finalizer is there, so a finalizer removed by
 * hand (or a namespace force-deleted) would otherwise leave it behind for good. For AgentDeployments
 * a backoff counter, a phase in the gauge, event memory; for control planes the check's memory
 * (last good check, proof, backoff, not-found streak), the readiness series, event memory, the ask
 * in the account's shared rate limit (a limit it lowered rises) and a deletion waiting on users.
 * Run periodically (every resync interval) by the runtime, one sweep per controller.
 */
final class ResourceSweep<R extends HasMetadata> implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceSweep.class);

  private final Cache<R> primary;
  private final Consumer<List<R>> retain;

  private ResourceSweep(Cache<R> primary, Consumer<List<R>> retain) {
    this.primary = primary;
    this.retain = retain;
  }

  static ResourceSweep<AgentDeployment> agentDeployments(Cache<AgentDeployment> primary, Backoff backoff,
      NoProgress noProgress, OperatorMetrics metrics, EventRecorder events, AccountGuard accounts) {
    return new ResourceSweep<>(primary, live -> {
      Set<String> uids = uids(live);
      backoff.retainOnly(uids);
      noProgress.retainOnly(uids);
      metrics.retainOnly(uids);
      events.retainOnly(new AgentDeployment().getKind(), uids);
      accounts.retainOnly(uids);
    });
  }

  /** The memory of one control-plane kind, kept by its reconciler's parts. */
  static <R extends HasMetadata> ResourceSweep<R> controlPlanes(Cache<R> primary, ControlPlaneKind kind,
      AccessCheck check, ControlPlaneEvents events, SharedLimitStatus<R> limits, ControlPlaneUsers users) {
    return new ResourceSweep<>(primary, live -> {
      Set<String> uids = uids(live);
      check.retainOnly(live);
      events.retainOnly(kind.name(), uids);
      limits.retainOnly(live);
      users.retainWaiting(kind, live);
    });
  }

  static Set<String> uids(List<? extends HasMetadata> live) {
    return live.stream().map(r -> r.getMetadata().getUid()).collect(Collectors.toSet());
  }

  @Override
  public void run() {
    try {
      retain.accept(primary.list().toList());
    } catch (RuntimeException e) {
      // A failed sweep only delays the next one; it must not end the scheduled task.
      LOG.warn("sweep of per-resource state failed: {}", e.getClass().getSimpleName());
    }
  }
}

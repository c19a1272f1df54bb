package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.remote.ListedDeployment;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.SpecProblem;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote as an event source, in the spirit of JOSDK's {@code PollingEventSource}: every resync
 * interval {@link BatchedObservations#poll} lists the known deployments of each account, and a
 * deployment whose status, newest revision or presence changed reconciles the one resource that
 * holds it (found through an index of the primary cache on status.deploymentId).
 */
final class BatchPoller extends AbstractEventSource<ListedDeployment, AgentDeployment> {
  private static final Logger LOG = LoggerFactory.getLogger(BatchPoller.class);
  static final String DEPLOYMENT_ID_INDEX = "status.deploymentId";

  private final IndexerResourceCache<AgentDeployment> primaries;
  private final BatchedObservations batches;
  private final Duration period;
  private final ReferenceWatches watches;
  private final ControlPlaneAccess access;
  private ScheduledExecutorService timer;

  BatchPoller(EventSourceContext<AgentDeployment> context, BatchedObservations batches, Duration period,
      ReferenceWatches watches, ControlPlaneAccess access) {
    super(ListedDeployment.class, "remote-deployment-batches");
    this.watches = watches;
    this.access = access;
    this.primaries = context.getPrimaryCache();
    this.batches = batches;
    this.period = period;
    primaries.addIndexer(DEPLOYMENT_ID_INDEX, a -> a.getStatus() == null || a.getStatus().getDeploymentId() == null
        ? List.of() : List.of(a.getStatus().getDeploymentId()));
  }

  @Override
  public synchronized void start() {
    super.start();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "remote-deployment-batches");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::pollOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
    super.stop();
  }

  private void pollOnce() {
    try {
      // Its own thread, not a reconcile's: its lists wait in place for tokens, queued with the urgent
      // callers (one list stands in for 100 single reads), rather than reserve tokens the next round
      // would come back for only after they expired.
      batches.poll(id -> !primaries.byIndex(DEPLOYMENT_ID_INDEX, id).isEmpty(),
          id -> primaries.byIndex(DEPLOYMENT_ID_INDEX, id).forEach(a ->
              getEventHandler().handleEvent(new Event(ResourceID.fromResource(a)))), this::clientFor);
    } catch (RuntimeException e) {
      // A failed round must not end the schedule: the next one tries again. Logged as classified
      // (a RemoteException's text is redacted; another exception's message may quote a key or URL).
      LOG.warn("listing remote deployments failed: {}", e instanceof RemoteException ? e.getMessage()
          : RemoteException.unexpected("batch list", e).getMessage());
    }
  }

  /**
   * The client a reconcile of the resource holding {@code deploymentId} would use now, from the
   * cached ControlPlane and Secret (no API call): a rotated key or moved address is used at once.
   */
  private Optional<RemoteDeploymentClient> clientFor(AccountKey account, String deploymentId) {
    for (AgentDeployment a : primaries.byIndex(DEPLOYMENT_ID_INDEX, deploymentId)) {
      try {
        Target target = access.targetFor(new ClusterReads(watches, a.getMetadata().getNamespace()),
            a.getSpec().getControlPlaneRef(), RemoteClients.providerOf(a.getSpec()), true);
        if (target.account().equals(account)) {
          return Optional.of(target.client());
        }
      } catch (SpecProblem unusable) {
        // Its own reconcile reports the problem; this round skips the account.
      }
    }
    return Optional.empty();
  }

  @Override
  public Set<ListedDeployment> getSecondaryResources(AgentDeployment primary) {
    return Set.of();
  }
}

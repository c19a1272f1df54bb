package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.remote.BatchReads;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observation seam with a batch behind it (LangSmith): every resync the {@link BatchPoller}
 * lists each account's known deployment ids, 100 a call, and a reconcile that will not write takes
 * the remote state from that list while it is the poller's newest answer for the deployment
 * ({@link AccountBatch#newest}: younger than the resync interval, or the round after it is still
 * listing). Anything that may
 * lead to a write (a spec change, drift, a rollout not live, deletion), a deployment the list did
 * not hold, and every other caller (create, ownership, deletion) reads the single object itself.
 */
final class BatchedObservations implements ObservationSource {
  private static final Logger LOG = LoggerFactory.getLogger(BatchedObservations.class);

  private final Duration resync;
  private final Clock clock;
  private final Map<AccountKey, AccountBatch> accounts = new ConcurrentHashMap<>();

  BatchedObservations(Duration resync, Clock clock) {
    this.resync = resync;
    this.clock = clock;
  }

  /** Write paths and ownership checks: always a read made now. */
  @Override
  public Observation observe(RemoteDeploymentClient client, String deploymentId, DesiredDeployment desired) {
    return client.observe(deploymentId, desired);
  }

  @Override
  public Observation observe(ReconcilePass p, RemoteDeploymentClient client, String deploymentId) {
    Optional<BatchReads> reads = client.batchReads();
    if (reads.isEmpty() || p.target == null) {
      return observe(client, deploymentId, p.desired);
    }
    AccountBatch batch = accounts.computeIfAbsent(p.target.account(), k -> new AccountBatch());
    // A ControlPlane moved to another address or tenant: its old account lists the id no more.
    accounts.forEach((account, other) -> {
      if (other != batch) {
        other.forget(deploymentId);
      }
    });
    batch.track(deploymentId, clock.instant());
    AccountBatch.Entry entry = batch.entry(deploymentId);
    String change = mustReadItself(p);
    String unlisted = batch.ignoresFilter() ? "its control plane ignores deployment_ids"
        : entry == null || entry.listed() == null ? "the last list did not hold it"
        : change != null ? change
        : batch.lastSingleReadFailed(deploymentId) ? "its last read failed"
        : listedBeforeLastWrite(p, entry) ? "the last list is older than its last write"
        : !batch.newest(entry, clock.instant(), resync) ? "the last list is older than the resync interval"
        : null;
    if (unlisted != null) {
      return single(batch, client, deploymentId, p.desired, unlisted);
    }
    Observation listed = reads.get().observe(entry.listed(), p.desired, batch.knownRollout(deploymentId));
    if (listed.rollout() != null) {
      batch.rememberRollout(deploymentId, listed.rollout());
    }
    String toDo = !listed.upToDate() ? "the list shows it differs from the desired state"
        : listed.deleting() ? "the list shows it being deleted"
        : listed.rollout() == null || !listed.rollout().isLive() ? "the list shows no live revision"
        : !Objects.equals(listed.rollout().revisionId(), p.draft.status.getLatestRevisionId())
            ? "the list shows another latest revision than status" : null;
    if (toDo != null) {
      // Something is to be done (a PATCH, a rollout to follow, a rollback): that works from a read
      // made just now, never from a list up to one resync old.
      return single(batch, client, deploymentId, p.desired, toDo);
    }
    return listed;
  }

  /** A read of the one deployment; while it fails, the retries read it again rather than the batch. */
  private Observation single(AccountBatch batch, RemoteDeploymentClient client, String deploymentId,
      DesiredDeployment desired, String why) {
    // Each such read costs the account a request the batch was meant to save: say why (steady state has none).
    LOG.debug("reading deployment {} itself: {}", deploymentId, why);
    boolean failed = true;
    try {
      Observation observation = client.observe(deploymentId, desired);
      failed = false;
      if (observation.rollout() != null) {
        batch.rememberRollout(deploymentId, observation.rollout());
      }
      return observation;
    } finally {
      batch.singleRead(deploymentId, failed, clock.instant());
    }
  }

  /**
   * A list answered before this resource's last write (a create, PATCH or redeploy starts a
   * rollout) shows the deployment as it was: after a revert it would even match the desired state
   * and report the old revision Ready. Only a list made after the write may stand in for a read.
   */
  private static boolean listedBeforeLastWrite(ReconcilePass p, AccountBatch.Entry entry) {
    String started = p.draft.status.getRolloutStartedAt();
    if (started == null) {
      return false;
    }
    try {
      return !entry.at().isAfter(Instant.parse(started));
    } catch (RuntimeException unparseable) {
      return true;
    }
  }

  /**
   * A spec change, a new hash key, an open write-ahead record, a requested reconcile, or an account
   * or its settings not yet confirmed by a read of this resource (the ownership rules read themselves):
   * what it is, or null when none of these holds.
   */
  private static String mustReadItself(ReconcilePass p) {
    return p.hashKeyChanged ? "the hash key changed"
        : p.draft.status.getWriteAhead() != null ? "a write-ahead record is open"
        : !p.desired.hash().equals(p.draft.status.getDesiredStateHash()) ? "the desired state changed"
        : !Objects.equals(Annotations.get(p.resource, Annotations.RECONCILE_REQUESTED_AT),
            p.before.getReconcileRequestHandled()) ? "a reconcile was requested"
        : !Objects.equals(p.target.account().display(), p.before.getAccount()) ? "its account is not confirmed"
        : !Objects.equals(p.target.settings(), p.before.getAccountSettings()) ? "its account settings are not confirmed"
        : null;
  }

  /**
   * One round: for each account, drop ids no resource holds any more, list the rest 100 a call,
   * and hand every id whose status, newest revision or presence changed to {@code changed}.
   *
   * @param owned whether a resource holds the id now
   * @param changed reconciles the resources that hold the id
   * @param clientFor the client of the account as a resource holding the id resolves it now
   *     (current address and key), or empty when it resolves to no client of that account
   */
  void poll(Predicate<String> owned, java.util.function.Consumer<String> changed,
      java.util.function.BiFunction<AccountKey, String, Optional<RemoteDeploymentClient>> clientFor) {
    accounts.forEach((account, batch) -> {
      if (batch.ignoresFilter()) {
        return;
      }
      Instant now = clock.instant();
      List<String> ids = batch.trackedIds().stream().filter(id -> {
        if (owned.test(id) || batch.newlyTracked(id, now, resync.multipliedBy(2))) {
          return true;
        }
        LOG.debug("no longer listing deployment {}: no resource holds it", id);
        batch.forget(id);
        return false;
      }).toList();
      // The client comes from a resource that holds one of the ids (a new id's may not show yet).
      Optional<BatchReads> reads = ids.stream().filter(owned).findFirst()
          .flatMap(id -> clientFor.apply(account, id)).flatMap(RemoteDeploymentClient::batchReads);
      if (reads.isEmpty()) {
        return;
      }
      batch.roundStarts(clock.instant());
      try {
        for (int from = 0; from < ids.size(); from += BatchReads.MAX_IDS) {
          List<String> chunk = ids.subList(from, Math.min(ids.size(), from + BatchReads.MAX_IDS));
          if (!listChunk(account, batch, reads.get(), chunk, changed)) {
            return;
          }
        }
      } finally {
        batch.roundEnded();
      }
    });
  }

  /** @return false when the account stops being listed (its server ignores the id filter) */
  private boolean listChunk(AccountKey account, AccountBatch batch, BatchReads reads, List<String> chunk,
      java.util.function.Consumer<String> changed) {
    BatchReads.Listing listing;
    try {
      listing = reads.list(chunk);
    } catch (RemoteException e) {
      // The entries age out and reconciles read single objects until a list works again.
      LOG.debug("listing {} deployments of {} failed: {}", chunk.size(), account.display(), e.getMessage());
      return true;
    }
    if (listing.answeredOthers()) {
      if (batch.markIgnoresFilter()) {
        LOG.warn("the control plane at {} answered deployments it was not asked for (it ignores deployment_ids): "
            + "its deployments are read one at a time from now on", account.display());
      }
      return false;
    }
    Instant now = clock.instant();
    for (String id : chunk) {
      if (listing.found().get(id) == null) {
        LOG.debug("the list of {} did not hold deployment {}", account.display(), id);
      }
      if (batch.record(id, new AccountBatch.Entry(listing.found().get(id), now))) {
        changed.accept(id);
      }
    }
    return true;
  }

  /** The reference watches' event sources and the poller that refreshes this source's batches every resync interval. */
  List<EventSource<?, AgentDeployment>> withPoller(EventSourceContext<AgentDeployment> context,
      ReferenceWatches watches, ControlPlaneAccess access) {
    List<EventSource<?, AgentDeployment>> all = new java.util.ArrayList<>(watches.eventSources());
    all.add(new BatchPoller(context, this, resync, watches, access));
    return all;
  }
}

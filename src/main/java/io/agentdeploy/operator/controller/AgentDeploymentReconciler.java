package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.SpecProblem;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The AgentDeployment state machine, read as its order of work: resolve references and validate,
 * observe the remote, create or adopt, update, follow the rollout; delete on deletion. Each step
 * is its own class; every error path goes through {@link Failures}.
 */
@ControllerConfiguration(name = AgentDeploymentReconciler.NAME, triggerReconcilerOnAllEvents = true)
public class AgentDeploymentReconciler implements Reconciler<AgentDeployment> {
  public static final String NAME = "agentdeployment";
  public static final String FINALIZER = "agentdeploy.io/finalizer";

  private final OperatorConfig config;
  private final RemoteClients clients;
  private final ControlPlaneAccess access;
  private final EventRecorder events;
  private final Clock clock;
  private final Backoff backoff;
  private final NoProgress noProgress;
  private final RemoteEndStates endStates;
  private final OperatorMetrics metrics;
  private final Runnable onReconcile;
  private final BatchedObservations observer;
  private final RemoteEventReporter remoteEvents;
  private final Creation creation;
  private final Update update;
  private final RolloutFollower rollouts;
  private final Failures failures;
  private final Cleanup cleanup;
  private final AccountGuard accounts;
  private final Supersession supersession;
  private final HashKeys hashKeys;
  private final DriftGuard driftGuard;
  private final ControlPlaneUsers users;
  private ReferenceWatches watches;
  private Runnable sweep = () -> { }; // until the controller's cache exists

  /** @param onReconcile called at the start of every reconcile (startup measurements) */
  public AgentDeploymentReconciler(OperatorConfig config, RemoteClients clients, EventRecorder events, Clock clock,
      OperatorMetrics metrics, Runnable onReconcile, ControlPlaneUsers users) {
    this.config = config;
    this.clients = clients;
    this.metrics = metrics;
    this.onReconcile = onReconcile;
    this.access = new ControlPlaneAccess(clients);
    this.events = events;
    this.clock = clock;
    this.backoff = new Backoff(config.retryInitial(), config.retryMax());
    this.noProgress = new NoProgress(config.pollInitial(), config.resync());
    this.endStates = new RemoteEndStates(config, noProgress);
    this.observer = new BatchedObservations(config.resync(), clock);
    this.remoteEvents = new RemoteEventReporter(events);
    this.creation = new Creation(config, events, observer, new ReleaseClaims(clients, () -> watches), noProgress);
    this.supersession = new Supersession(events);
    this.update = new Update(config, events);
    this.rollouts = new RolloutFollower(config, events, metrics, noProgress,
        new AgentexResync(config.resync(), clients.limiters(), metrics));
    this.failures = new Failures(config, events, backoff);
    this.accounts = new AccountGuard(config, events);
    this.users = users;
    this.cleanup = new Cleanup(new Deletion(config, events, backoff, noProgress, p -> target(p, false), accounts, users),
        metrics, backoff, noProgress, events);
    this.driftGuard = new DriftGuard(events, clients);
    this.hashKeys = new HashKeys(clients, events, config.operatorNamespace() + "/" + config.hashKeySecret());
  }

  @Override
  public List<EventSource<?, AgentDeployment>> prepareEventSources(EventSourceContext<AgentDeployment> context) {
    watches = new ReferenceWatches(context, config, clients);
    users.attach(context.getPrimaryCache());
    sweep = ResourceSweep.agentDeployments(context.getPrimaryCache(), backoff, noProgress, metrics, events, accounts);
    return observer.withPoller(context, watches, access);
  }

  /**
   * Every event comes here (JOSDK's all-events mode), so the finalizer is ours to keep: a first
   * create writes it with its write-ahead record (see {@link Finalizer}).
   */
  @Override
  public UpdateControl<AgentDeployment> reconcile(AgentDeployment resource, Context<AgentDeployment> context) {
    if (context.isPrimaryResourceDeleted()) {
      cleanup.gone(resource);
      return UpdateControl.noUpdate();
    }
    if (resource.isMarkedForDeletion()) {
      if (!Finalizer.present(resource) || cleanup.releasedAlready(resource)) {
        return UpdateControl.noUpdate(); // released, or never owned anything
      }
      ReconcilePass p = pass(resource, context);
      return LogContext.with(p, () -> cleanup.run(p));
    }
    onReconcile.run();
    ReconcilePass p = pass(resource, context);
    return LogContext.with(p, () -> {
      try {
        return reconcile(p);
      } catch (StaleRead stale) { // changed since read: that change's event brings a pass that sees it
        return UpdateControl.<AgentDeployment>noUpdate().rescheduleAfter(config.pollInitial().toMillis());
      }
    });
  }

  private UpdateControl<AgentDeployment> reconcile(ReconcilePass p) {
    hashKeys.settle(p);
    p.draft.status.setReconcileRequestHandled(Annotations.get(p.resource, Annotations.RECONCILE_REQUESTED_AT));
    if (Paused.report(p, metrics)) {
      return UpdateControl.noUpdate();
    }
    Duration requeue;
    try {
      requeue = sync(p);
      backoff.reset(p.key());
    } catch (SpecProblem problem) {
      requeue = failures.onSpecProblem(p, problem);
    } catch (ControlPlaneCheckPending pending) {
      requeue = config.pollMax(); // the check's verdict wakes the resource earlier
    } catch (RuntimeException e) { // a RemoteException, or what nothing classified (Kubernetes' own go to JOSDK)
      requeue = failures.onRemoteError(p, Failures.classified(e));
    }
    AppliedEvent.send(p, events);
    Finalizer.ensure(p); // before a status write records anything this resource owns
    StatusWriter.write(p);
    metrics.phase(p.key(), p.draft.status.getPhase());
    return UpdateControl.<AgentDeployment>noUpdate().rescheduleAfter(requeue.toMillis());
  }

  /** Resolve and validate, check the account, observe, then create, update or follow the rollout. */
  private Duration sync(ReconcilePass p) throws SpecProblem {
    p.desired = clients.desiredState(p.resource.getSpec(), p.reads);
    p.target = target(p, true);
    RemoteDeploymentClient client = p.target.client();
    RejectedSpec.settle(p);
    if (hashKeys.refusedBefore(p)) {
      return config.resync();
    }
    String deploymentId = p.before.getDeploymentId();
    if (deploymentId == null) {
      return createOrAdopt(p, client, "Created");
    }
    if (accounts.blocked(p)) {
      return accounts.report(p, deploymentId, false);
    }
    Observation observation = observer.observe(p, client, deploymentId);
    if (!observation.exists() && observation.absence() != Observation.Absence.PRESENT) {
      return absent(p, client, observation);
    }
    accounts.confirmed(p, observation);
    Ownership.settleOldestHistoryEntry(p, client, observer);
    remoteEvents.report(p, observation);
    p.draft.status.setExpiresAt(observation.expiresAt() == null ? null : observation.expiresAt().toString());
    boolean specChanged = !p.hashKeyChanged && !p.desired.hash().equals(p.draft.status.getDesiredStateHash());
    if (!observation.exists() && observation.expired() && !specChanged) {
      return endStates.expired(p, observation);
    }
    if (!observation.exists()) {
      // A terminal deleted state the remote reports itself (Agentex DELETED).
      events.warning(p.resource, "RemoteDeleted", "remote deployment " + deploymentId
          + " was deleted outside the operator; creating it again");
      p.draft.clearRemote();
      return createOrAdopt(p, client, "Created");
    }
    if (observation.deleting()) {
      return endStates.deleting(p, deploymentId);
    }
    return existing(p, client, observation, false);
  }

  /**
   * Not found: gone only when confirmed by the provider's rule, and an out-of-band deletion only
   * when the account and settings are the ones the deployment was last read with.
   */
  private Duration absent(ReconcilePass p, RemoteDeploymentClient client, Observation observation)
      throws SpecProblem {
    if (!accounts.absenceConfirmed(p, observation)) {
      return config.pollInitial();
    }
    java.util.Optional<Duration> wait = accounts.afterConfirmedAbsence(p, observation.deploymentId());
    if (wait.isPresent()) {
      return wait.get();
    }
    // An out-of-band deletion keeps the id until a replacement exists; an orphaned one is cleared.
    return createOrAdopt(p, client, "Created");
  }

  /** The deployment exists: correct it if the spec changed or the remote drifted, then follow the rollout. */
  private Duration existing(ReconcilePass p, RemoteDeploymentClient client, Observation observation,
      boolean adopted) throws SpecProblem {
    if (p.hashKeyChanged) {
      return rollouts.follow(p, hashKeys.reported(p, observation));
    }
    Update.Change change = Update.needed(p, observation, adopted);
    if (change != Update.Change.NONE && RejectedSpec.holds(p)) {
      return RejectedSpec.keep(p, observation, rollouts.follow(p, observation));
    }
    if (driftGuard.holds(p, observation, change)) {
      return rollouts.follow(p, observation);
    }
    if (change != Update.Change.NONE) {
      if (p.recordPerChange) {
        if (change == Update.Change.DRIFT && supersession.waitAfterExternalSupersede(p, client, observation)) {
          return config.resync();
        }
        // A provider without PATCH (Agentex) applies a change as a new record, with a create's safety.
        return createOrAdopt(p, client, change.reason);
      }
      Duration requeue = update.patch(p, client, observation, change);
      if (requeue != null) {
        return requeue;
      }
    } else if (adopted) {
      p.draft.applied(observation.deploymentId(), p.draft.status.getLatestRevisionId(), p.desired.hash());
    }
    p.draft.synced(true, "Applied", "the remote deployment matches the spec");
    return rollouts.follow(p, observation);
  }

  private Duration createOrAdopt(ReconcilePass p, RemoteDeploymentClient client, String reason)
      throws SpecProblem {
    if (RejectedSpec.holds(p)) {
      return RejectedSpec.keep(p, null, config.resync());
    }
    hashKeys.beforeCreate(p);
    Creation.Outcome outcome = creation.run(p, client, reason);
    if (outcome instanceof Creation.Outcome.TookOver took) {
      return existing(p, client, took.observation(), took.adopted());
    }
    return ((Creation.Outcome.Done) outcome).requeue();
  }

  /** Drops per-resource memory of resources gone without a cleanup; the runtime calls it every resync. */
  public void sweep() {
    sweep.run();
  }

  private ReconcilePass pass(AgentDeployment resource, Context<AgentDeployment> context) {
    ClusterReads reads = new ClusterReads(watches, resource.getMetadata().getNamespace());
    return new ReconcilePass(resource, context, reads, clock.instant(), clients.adapterFor(resource.getSpec()));
  }

  private Target target(ReconcilePass p, boolean requireReady) throws SpecProblem {
    return access.targetFor(p.reads, p.resource.getSpec().getControlPlaneRef(), RemoteClients.providerOf(p.resource.getSpec()),
        requireReady);
  }
}

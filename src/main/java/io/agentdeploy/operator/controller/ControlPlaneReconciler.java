package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.remote.http.TrustBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a ControlPlane: its API key exists and the API answers an authenticated read. The Ready
 * condition it writes gates every AgentDeployment that uses the ControlPlane.
 */
@ControllerConfiguration(name = ControlPlaneReconciler.NAME, finalizerName = ControlPlaneReconciler.FINALIZER)
public class ControlPlaneReconciler implements Reconciler<ControlPlane>, Cleaner<ControlPlane> {
  public static final String NAME = "controlplane";
  /** Held while AgentDeployments use the ControlPlane: they need it to delete their remote deployments. */
  public static final String FINALIZER = "agentdeploy.io/controlplane-in-use";
  private static final String SECRETS = "controlplane-secrets";

  private final OperatorConfig config;
  private final AccessCheck check;
  private final ControlPlaneEvents events;
  private static final String CONFIG_MAPS = "controlplane-configmaps";
  private final SharedLimitStatus<ControlPlane> limits;
  private final ControlPlaneUsers users;
  private final Clock clock;
  private ReferencedInformers<Secret, ControlPlane> secrets;
  private ReferencedInformers<ConfigMap, ControlPlane> configMaps;
  private Runnable sweep = () -> { }; // until the controller's cache exists

  /** @param users which AgentDeployments use which control plane, from the AgentDeployment controller's cache */
  public ControlPlaneReconciler(OperatorConfig config, RemoteClients clients, EventRecorder events, Clock clock,
      ControlPlaneReadiness readiness, ControlPlaneUsers users) {
    this.config = config;
    this.users = users;
    this.clock = clock;
    this.check = new AccessCheck(config, clients, clock, readiness, ControlPlaneKind.ControlPlane);
    this.events = new ControlPlaneEvents(events);
    this.limits = new SharedLimitStatus<>(clients, events, owner -> owner.contains("/")
        ? Optional.of(new ResourceID(owner.substring(owner.indexOf('/') + 1), owner.substring(0, owner.indexOf('/'))))
        : Optional.empty());
  }

  @Override
  public List<EventSource<?, ControlPlane>> prepareEventSources(EventSourceContext<ControlPlane> context) {
    context.getPrimaryCache().addIndexer(References.SECRET_INDEX, References::secretKeys);
    // Whole only the API-key Secrets of ControlPlanes; metadata of the others (their finalizers).
    secrets = ReferencedInformers.create(SECRETS, CachedKind.SECRETS, ControlPlane.class,
        ReferencedInformers.controllerNamespaces(context), context,
        s -> !context.getPrimaryCache().byIndex(References.SECRET_INDEX, References.indexKey(s)).isEmpty(),
        s -> context.getPrimaryCache().byIndex(References.SECRET_INDEX, References.indexKey(s)).stream()
            .map(ResourceID::fromResource).collect(Collectors.toSet()));
    // The CA-bundle ConfigMaps: a rotated bundle is checked again at once.
    context.getPrimaryCache().addIndexer(References.CONFIG_MAP_INDEX, References::configMapKeys);
    configMaps = ReferencedInformers.create(CONFIG_MAPS, CachedKind.CONFIG_MAPS, ControlPlane.class,
        ReferencedInformers.controllerNamespaces(context), context,
        cm -> !context.getPrimaryCache().byIndex(References.CONFIG_MAP_INDEX, References.indexKey(cm)).isEmpty(),
        cm -> context.getPrimaryCache().byIndex(References.CONFIG_MAP_INDEX, References.indexKey(cm)).stream()
            .map(ResourceID::fromResource).collect(Collectors.toSet()));
    List<EventSource<?, ControlPlane>> all = new java.util.ArrayList<>(secrets.eventSources());
    all.addAll(configMaps.eventSources());
    // A ControlPlane being deleted waits for its AgentDeployments: their deletions wake it up.
    all.add(users.controlPlaneWakeUps());
    all.add(limits.wakeUps());
    sweep = ResourceSweep.controlPlanes(context.getPrimaryCache(), ControlPlaneKind.ControlPlane, check, events, limits,
        users);
    return all;
  }

  /** Drops the memory of ControlPlanes gone without a cleanup; the runtime calls it every resync. */
  public void sweep() {
    sweep.run();
  }

  @Override
  @SuppressWarnings("unchecked")
  public DeleteControl cleanup(ControlPlane resource, Context<ControlPlane> context) {
    String ns = resource.getMetadata().getNamespace();
    var wait = users.blockingDeletion(ResourceID.fromResource(resource), ControlPlaneKind.ControlPlane,
        resource.getMetadata().getName(), a -> a.getMetadata().getName(), config.pollInitial(), config.resync());
    if (wait.isPresent()) {
      return ControlPlaneUsers.keep(resource, context, wait.get(), clock.instant());
    }
    List<ControlPlane> others = context.getPrimaryCache().list(cp -> ns.equals(cp.getMetadata().getNamespace())
        && !cp.getMetadata().getUid().equals(resource.getMetadata().getUid())).toList();
    CredentialGuard.releaseUnused(context.getClient(), secrets.cached(ns).toList(), others, this::inUse);
    check.forget(resource.getMetadata());
    events.forget(resource);
    limits.forget(resource);
    return DeleteControl.defaultDelete();
  }

  /** True while AgentDeployments name {@code controlPlane}: they need it (and its key) to delete their deployments. */
  private boolean inUse(ControlPlane controlPlane) {
    return users.inUse(ControlPlaneKind.ControlPlane, controlPlane.getMetadata().getNamespace(),
        controlPlane.getMetadata().getName());
  }

  @Override
  @SuppressWarnings("unchecked")
  public UpdateControl<ControlPlane> reconcile(ControlPlane resource, Context<ControlPlane> context) {
    Long generation = resource.getMetadata().getGeneration();
    ControlPlaneStatus before = resource.getStatus() == null ? new ControlPlaneStatus() : resource.getStatus();
    String uid = resource.getMetadata().getUid();
    String ns = resource.getMetadata().getNamespace();
    var secret = secrets.read(ns, resource.getSpec().getApiKeySecretRef().getName());
    String display = display(resource);
    Optional<TrustBundle> caBundle;
    try {
      caBundle = CaBundles.read(resource.getSpec(), display, ns, name -> configMaps.read(ns, name),
          name -> secrets.read(ns, name));
    } catch (SpecProblem problem) {
      return refused(resource, context, before, problem);
    }
    String checkKey = AccessCheck.checkKey(generation, secret) + CaBundles.checkKeyPart(caBundle);
    // Before the shortcut below: a Secret's opt-out annotation or a switch to another Secret takes effect at once.
    secret.ifPresent(x -> CredentialGuard.protect(context.getClient(), x));
    CredentialGuard.releaseUnused(context.getClient(), secrets.cached(ns).toList(),
        context.getPrimaryCache().list(cp -> ns.equals(cp.getMetadata().getNamespace())).toList(),
        this::inUse);
    var fresh = check.stillFresh(uid, checkKey, before);
    if (fresh.isPresent()) {
      // Nothing changed since the last good check: no need to ask the remote again yet (the shared
      // limit may have changed: that is shown without asking).
      AccessCheck.write(resource, context, limits.withLimit(resource, resource.getSpec(), secret, display, before));
      return UpdateControl.<ControlPlane>noUpdate().rescheduleAfter(fresh.get().toMillis());
    }
    AccessCheck.Outcome outcome = check.check(uid, checkKey, resource.getSpec(), secret, display,
        SharedLimitStatus.ownerOf(resource), caBundle);
    return report(resource, context, before, outcome, secret);
  }

  /** A mistake in what the ControlPlane names (its CA bundle): nothing is sent. */
  private UpdateControl<ControlPlane> refused(ControlPlane resource, Context<ControlPlane> context,
      ControlPlaneStatus before, SpecProblem problem) {
    check.forgetSuccess(resource.getMetadata().getUid());
    return report(resource, context, before, AccessCheck.refused(problem, config.resync()), Optional.empty());
  }

  private UpdateControl<ControlPlane> report(ControlPlane resource, Context<ControlPlane> context,
      ControlPlaneStatus before, AccessCheck.Outcome outcome, Optional<Secret> secret) {
    String display = display(resource);
    events.afterCheck(resource, before, outcome, secret, resource.getSpec().getApiKeySecretRef().getName());
    AccessCheck.write(resource, context, limits.withLimit(resource, resource.getSpec(), secret, display,
        check.statusAfter(resource.getMetadata(), before, outcome)));
    return UpdateControl.<ControlPlane>noUpdate().rescheduleAfter(outcome.requeue().toMillis());
  }

  /** How messages name the ControlPlane. */
  private static String display(ControlPlane resource) {
    return "ControlPlane " + resource.getMetadata().getName();
  }
}

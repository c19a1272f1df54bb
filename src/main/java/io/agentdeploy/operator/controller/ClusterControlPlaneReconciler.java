package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.remote.http.TrustBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
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
 * Checks a ClusterControlPlane as {@link ControlPlaneReconciler} checks a ControlPlane (its key, in
 * the operator's namespace, and an authenticated read), and first that its namespace selector is
 * one Kubernetes would accept. Kept while AgentDeployments of any namespace still use it.
 */
@ControllerConfiguration(name = ClusterControlPlaneReconciler.NAME, finalizerName = ControlPlaneReconciler.FINALIZER)
public class ClusterControlPlaneReconciler implements Reconciler<ClusterControlPlane>, Cleaner<ClusterControlPlane> {
  public static final String NAME = "clustercontrolplane";
  private static final String SECRETS = "clustercontrolplane-secrets";

  private final OperatorConfig config;
  private final AccessCheck check;
  private final ControlPlaneEvents events;
  private static final String CONFIG_MAPS = "clustercontrolplane-configmaps";
  private final SharedLimitStatus<ClusterControlPlane> limits;
  private final ControlPlaneUsers users;
  private final Clock clock;
  private ReferencedInformers<Secret, ClusterControlPlane> secrets;
  private ReferencedInformers<ConfigMap, ClusterControlPlane> configMaps;
  private Runnable sweep = () -> { }; // until the controller's cache exists

  /** @param users which AgentDeployments use which control plane, from the AgentDeployment controller's cache */
  public ClusterControlPlaneReconciler(OperatorConfig config, RemoteClients clients, EventRecorder events, Clock clock,
      ControlPlaneReadiness readiness, ControlPlaneUsers users) {
    this.config = config;
    this.users = users;
    this.clock = clock;
    this.check = new AccessCheck(config, clients, clock, readiness, ControlPlaneKind.ClusterControlPlane);
    this.events = new ControlPlaneEvents(events);
    this.limits = new SharedLimitStatus<>(clients, events, owner -> owner.contains("/") ? Optional.empty()
        : Optional.of(new ResourceID(owner)));
  }

  @Override
  public List<EventSource<?, ClusterControlPlane>> prepareEventSources(
      EventSourceContext<ClusterControlPlane> context) {
    String home = config.operatorNamespace();
    context.getPrimaryCache().addIndexer(References.SECRET_INDEX, cp -> ClusterControlPlaneWatches.secretKeys(cp, home));
    context.getPrimaryCache().addIndexer(References.CONFIG_MAP_INDEX,
        cp -> CaBundles.configMapKeys(cp.getSpec(), home));
    configMaps = ReferencedInformers.create(CONFIG_MAPS, CachedKind.CONFIG_MAPS, ClusterControlPlane.class,
        Set.of(home), context,
        cm -> !context.getPrimaryCache().byIndex(References.CONFIG_MAP_INDEX, References.indexKey(cm)).isEmpty(),
        cm -> context.getPrimaryCache().byIndex(References.CONFIG_MAP_INDEX, References.indexKey(cm)).stream()
            .map(ResourceID::fromResource).collect(Collectors.toSet()));
    secrets = ReferencedInformers.create(SECRETS, CachedKind.SECRETS, ClusterControlPlane.class, Set.of(home), context,
        s -> !context.getPrimaryCache().byIndex(References.SECRET_INDEX, References.indexKey(s)).isEmpty(),
        s -> context.getPrimaryCache().byIndex(References.SECRET_INDEX, References.indexKey(s)).stream()
            .map(ResourceID::fromResource).collect(Collectors.toSet()));
    List<EventSource<?, ClusterControlPlane>> all = new java.util.ArrayList<>(secrets.eventSources());
    all.addAll(configMaps.eventSources());
    // A ClusterControlPlane being deleted waits for the AgentDeployments that use it: their deletions wake it.
    all.add(users.clusterWakeUps());
    all.add(limits.wakeUps());
    sweep = ResourceSweep.controlPlanes(context.getPrimaryCache(), ControlPlaneKind.ClusterControlPlane, check, events, limits,
        users);
    return all;
  }

  /** Drops the memory of ClusterControlPlanes gone without a cleanup; the runtime calls it every resync. */
  public void sweep() {
    sweep.run();
  }

  @Override
  @SuppressWarnings("unchecked")
  public UpdateControl<ClusterControlPlane> reconcile(ClusterControlPlane resource,
      Context<ClusterControlPlane> context) {
    Long generation = resource.getMetadata().getGeneration();
    ControlPlaneStatus before = resource.getStatus() == null ? new ControlPlaneStatus() : resource.getStatus();
    String uid = resource.getMetadata().getUid();
    String home = config.operatorNamespace();
    Optional<Secret> secret = secrets.read(home, resource.getSpec().getApiKeySecretRef().getName());
    String display = "ClusterControlPlane " + resource.getMetadata().getName() + " (in namespace " + home + ")";
    Optional<TrustBundle> caBundle = Optional.empty();
    SpecProblem unusableBundle = null;
    try {
      caBundle = CaBundles.read(resource.getSpec(), display, home, name -> configMaps.read(home, name),
          name -> secrets.read(home, name));
    } catch (SpecProblem problem) {
      unusableBundle = problem;
      check.forgetSuccess(uid);
    }
    String checkKey = AccessCheck.checkKey(generation, secret) + CaBundles.checkKeyPart(caBundle);
    var fresh = check.stillFresh(uid, checkKey, before);
    if (fresh.isPresent()) {
      AccessCheck.write(resource, context, limits.withLimit(resource, resource.getSpec(), secret, display, before));
      return UpdateControl.<ClusterControlPlane>noUpdate().rescheduleAfter(fresh.get().toMillis());
    }
    var allowed = resource.getSpec().getAllowedNamespaces();
    Optional<String> invalid = NamespaceAllowance.problem(allowed == null ? null : allowed.getSelector());
    AccessCheck.Outcome outcome = invalid.isPresent()
        ? AccessCheck.refused(new SpecProblem("InvalidSelector", "spec.allowedNamespaces.selector: " + invalid.get()
            + "; no namespace can use this control plane until it is fixed"), config.resync())
        : unusableBundle != null ? AccessCheck.refused(unusableBundle, config.resync())
        : check.check(uid, checkKey, resource.getSpec(), secret, display, SharedLimitStatus.ownerOf(resource), caBundle);
    events.afterCheck(resource, before, outcome, secret, resource.getSpec().getApiKeySecretRef().getName());
    AccessCheck.write(resource, context, limits.withLimit(resource, resource.getSpec(), secret, display,
        check.statusAfter(resource.getMetadata(), before, outcome)));
    return UpdateControl.<ClusterControlPlane>noUpdate().rescheduleAfter(outcome.requeue().toMillis());
  }

  @Override
  public DeleteControl cleanup(ClusterControlPlane resource, Context<ClusterControlPlane> context) {
    var wait = users.blockingDeletion(ResourceID.fromResource(resource), ControlPlaneKind.ClusterControlPlane,
        resource.getMetadata().getName(), a -> a.getMetadata().getNamespace() + "/" + a.getMetadata().getName(),
        config.pollInitial(), config.resync());
    if (wait.isPresent()) {
      return ControlPlaneUsers.keep(resource, context, wait.get(), clock.instant());
    }
    check.forget(resource.getMetadata());
    events.forget(resource);
    limits.forget(resource);
    return DeleteControl.defaultDelete();
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.RemoteException;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
  private static final String AGENTS = "controlplane-agents";

  private final OperatorConfig config;
  private final RemoteClients clients;
  private final Clock clock;
  private final Backoff backoff;
  private ReferencedInformers<Secret, ControlPlane> secrets;
  /** When each ControlPlane (by uid) last passed its check, and for which generation and Secret version. */
  private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
  private final Map<String, String> lastCheckKey = new ConcurrentHashMap<>();

  public ControlPlaneReconciler(OperatorConfig config, RemoteClients clients, Clock clock) {
    this.config = config;
    this.clients = clients;
    this.clock = clock;
    this.backoff = new Backoff(config.retryInitial(), config.retryMax());
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
    // A ControlPlane being deleted waits for its AgentDeployments: their deletion wakes it up.
    var agents = new InformerEventSource<>(TrimmedItemStore.useWhereSafe(InformerEventSourceConfiguration
        .from(AgentDeployment.class, ControlPlane.class).withName(AGENTS).withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper((AgentDeployment a) -> {
          if (a.getSpec() == null || a.getSpec().getControlPlaneRef() == null) {
            return Set.of();
          }
          ResourceID id = new ResourceID(a.getSpec().getControlPlaneRef().getName(), a.getMetadata().getNamespace());
          // Only a ControlPlane waiting to be deleted cares about its AgentDeployments.
          boolean deleting = context.getPrimaryCache().get(id)
              .map(cp -> cp.getMetadata().getDeletionTimestamp() != null).orElse(false);
          return deleting ? Set.of(id) : Set.of();
        }), context)
        .build(), context);
    return Stream.concat(secrets.eventSources().stream(), Stream.of(agents)).toList();
  }

  @Override
  @SuppressWarnings("unchecked")
  public DeleteControl cleanup(ControlPlane resource, Context<ControlPlane> context) {
    String ns = resource.getMetadata().getNamespace();
    var agents = (InformerEventSource<AgentDeployment, ControlPlane>) context.eventSourceRetriever()
        .getEventSourceFor(AgentDeployment.class, AGENTS);
    List<String> users = agents.list(ns).filter(a -> a.getSpec() != null && a.getSpec().getControlPlaneRef() != null
            && resource.getMetadata().getName().equals(a.getSpec().getControlPlaneRef().getName()))
        .map(a -> a.getMetadata().getName()).sorted().toList();
    if (!users.isEmpty()) {
      ControlPlaneStatus status = resource.getStatus() == null ? new ControlPlaneStatus() : resource.getStatus();
      ControlPlaneStatus after = new ControlPlaneStatus();
      after.setObservedGeneration(status.getObservedGeneration());
      after.setConditions(Conditions.with(status.getConditions(), "Deleting", true, "InUse",
          "kept until the AgentDeployments that use it are gone (they need it to delete their remote deployments): "
              + String.join(", ", users), resource.getMetadata().getGeneration(), clock.instant()));
      if (!after.equals(status)) {
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, r -> {
          r.setStatus(after);
          return r;
        });
      }
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(config.resync().toMillis());
    }
    List<ControlPlane> others = context.getPrimaryCache().list(cp -> ns.equals(cp.getMetadata().getNamespace())
        && !cp.getMetadata().getUid().equals(resource.getMetadata().getUid())).toList();
    CredentialGuard.releaseUnused(context.getClient(), secrets.cached(ns).toList(), others);
    lastSuccess.remove(resource.getMetadata().getUid());
    lastCheckKey.remove(resource.getMetadata().getUid());
    return DeleteControl.defaultDelete();
  }

  private static boolean isReady(ControlPlaneStatus status) {
    return Conditions.isTrue(status.getConditions(), Conditions.READY);
  }

  @Override
  @SuppressWarnings("unchecked")
  public UpdateControl<ControlPlane> reconcile(ControlPlane resource, Context<ControlPlane> context) {
    Instant now = clock.instant();
    Long generation = resource.getMetadata().getGeneration();
    ControlPlaneStatus before = resource.getStatus() == null ? new ControlPlaneStatus() : resource.getStatus();
    ControlPlaneStatus after = new ControlPlaneStatus();
    after.setObservedGeneration(generation);
    String key = resource.getMetadata().getUid();
    Duration requeue = config.resync();
    boolean ready;
    String reason;
    String message;
    String ns = resource.getMetadata().getNamespace();
    var secret = secrets.read(ns, resource.getSpec().getApiKeySecretRef().getName());
    // The Secret's content, not its resourceVersion: our own finalizer edit must not force a re-check.
    String checkKey = generation + "/" + secret.map(x -> java.util.Objects.hash(x.getData(), x.getStringData()))
        .map(String::valueOf).orElse("-");
    Instant lastOk = lastSuccess.get(key);
    if (lastOk != null && checkKey.equals(lastCheckKey.get(key)) && isReady(before)
        && Duration.between(lastOk, now).compareTo(config.resync()) < 0) {
      // Nothing changed since the last good check: no need to ask the remote again yet.
      return UpdateControl.<ControlPlane>noUpdate()
          .rescheduleAfter(config.resync().minus(Duration.between(lastOk, now)).toMillis());
    }
    try {
      secret.ifPresent(x -> CredentialGuard.protect(context.getClient(), x));
      CredentialGuard.releaseUnused(context.getClient(), secrets.cached(ns).toList(),
          context.getPrimaryCache().list(cp -> ns.equals(cp.getMetadata().getNamespace())).toList());
      String apiKey = ControlPlaneAccess.apiKey(resource, name -> secret);
      clients.clientFor(resource.getSpec(), apiKey).checkAccess();
      ready = true;
      reason = "Connected";
      message = "authenticated read of " + resource.getSpec().getBaseUrl() + " succeeded";
      backoff.reset(key);
      lastSuccess.put(key, now);
      lastCheckKey.put(key, checkKey);
    } catch (SpecProblem problem) {
      ready = false;
      reason = problem.reason();
      message = problem.getMessage();
      lastSuccess.remove(key);
    } catch (RemoteException e) {
      ready = false;
      lastSuccess.remove(key);
      switch (e.kind()) {
        case UNAUTHORIZED -> {
          reason = "Unauthorized";
          message = "the control plane refused the API key: " + e.getMessage();
        }
        case NOT_FOUND, INVALID -> {
          reason = "UnexpectedResponse";
          message = e.getMessage() + "; check spec.baseUrl (self-hosted LangSmith serves the API under /api-host)";
        }
        default -> {
          reason = "Unreachable";
          message = e.getMessage();
        }
      }
      requeue = e.retryAfter().orElseGet(() -> backoff.next(key));
    }
    after.setConditions(Conditions.with(before.getConditions(), Conditions.READY, ready, reason, message, generation,
        now));
    if (!after.equals(before)) {
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, r -> {
        r.setStatus(after);
        return r;
      });
    }
    return UpdateControl.<ControlPlane>noUpdate().rescheduleAfter(requeue.toMillis());
  }

}

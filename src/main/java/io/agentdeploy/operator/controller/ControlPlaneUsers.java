package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Which AgentDeployments use which control plane, for the finalizers that wait on them. Read from
 * the AgentDeployment controller's own cache: one watch of AgentDeployments for the whole operator
 * (a watch per control-plane kind besides it would have every AgentDeployment change sent,
 * decoded and cached three times). A control plane being deleted while still in use is woken when
 * one of its AgentDeployments runs its deletion, and looks again soon while all of them are going.
 */
public final class ControlPlaneUsers {
  private volatile IndexedResourceCache<AgentDeployment> agents;
  private final SimpleInboundEventSource<ControlPlane> controlPlaneWakeUps =
      new SimpleInboundEventSource<>("controlplane-users");
  private final SimpleInboundEventSource<ClusterControlPlane> clusterWakeUps =
      new SimpleInboundEventSource<>("clustercontrolplane-users");
  /** Control planes being deleted that still wait for AgentDeployments. */
  private final Set<ResourceID> waiting = ConcurrentHashMap.newKeySet();

  /** The AgentDeployment controller's cache, once its event sources are prepared. */
  void attach(IndexedResourceCache<AgentDeployment> cache) {
    this.agents = cache;
  }

  /**
   * The AgentDeployments that name the control plane, or empty while the AgentDeployment cache has
   * not started (unknown, so nothing may be released on it).
   *
   * @param namespace the ControlPlane's namespace; ignored for a ClusterControlPlane
   */
  Optional<List<AgentDeployment>> of(ControlPlaneKind kind, String namespace, String name) {
    IndexedResourceCache<AgentDeployment> cache = agents;
    if (cache == null) {
      return Optional.empty();
    }
    Stream<AgentDeployment> candidates = kind == ControlPlaneKind.ControlPlane ? cache.list(namespace) : cache.list();
    return Optional.of(candidates.filter(a -> refersTo(a, kind, name)).toList());
  }

  /**
   * Who still uses a control plane being deleted, and when it looks again.
   *
   * @param names the AgentDeployments that name it (empty while they are not known yet)
   */
  record Wait(List<String> names, Duration requeue) {}

  /**
   * Empty when no AgentDeployment uses the control plane any more: it may go. Otherwise it waits,
   * woken when one of them runs its deletion, and looks again {@code soon} while all of them are
   * being deleted (or are not known yet), else after {@code resync}.
   *
   * @param display how a user is named in the control plane's status
   */
  Optional<Wait> blockingDeletion(ResourceID controlPlane, ControlPlaneKind kind, String name,
      Function<AgentDeployment, String> display, Duration soon, Duration resync) {
    Optional<List<AgentDeployment>> users = of(kind, controlPlane.getNamespace().orElse(null), name);
    if (users.isPresent() && users.get().isEmpty()) {
      waiting.remove(controlPlane);
      return Optional.empty();
    }
    waiting.add(controlPlane);
    List<AgentDeployment> known = users.orElse(List.of());
    boolean allGoing = known.stream().allMatch(AgentDeployment::isMarkedForDeletion);
    return Optional.of(new Wait(known.stream().map(display).sorted().toList(), allGoing ? soon : resync));
  }

  /**
   * Keeps the finalizer of a control plane being deleted that AgentDeployments still use: its
   * status names them (once they are known), and it looks again when {@code wait} says.
   */
  static <R extends CustomResource<?, ControlPlaneStatus>> DeleteControl keep(R resource, Context<R> context,
      Wait wait, Instant now) {
    if (!wait.names().isEmpty()) {
      ControlPlaneStatus before = resource.getStatus() == null ? new ControlPlaneStatus() : resource.getStatus();
      ControlPlaneStatus after = new ControlPlaneStatus();
      after.setObservedGeneration(before.getObservedGeneration());
      after.setRateLimit(before.getRateLimit());
      after.setConditions(Conditions.with(before.getConditions(), "Deleting", true, "InUse",
          "kept until the AgentDeployments that use it are gone (they need it to delete their remote deployments): "
              + String.join(", ", wait.names()), resource.getMetadata().getGeneration(), now));
      AccessCheck.write(resource, context, after);
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.requeue().toMillis());
  }

  /** Forgets deletions of control planes of {@code kind} that are gone without their cleanup. */
  void retainWaiting(ControlPlaneKind kind, List<? extends io.fabric8.kubernetes.api.model.HasMetadata> live) {
    Set<ResourceID> ids = live.stream().map(ResourceID::fromResource).collect(java.util.stream.Collectors.toSet());
    waiting.removeIf(id -> id.getNamespace().isPresent() == (kind == ControlPlaneKind.ControlPlane)
        && !ids.contains(id));
  }

  /** True unless the control plane is known to have no AgentDeployments (unknown counts as in use). */
  boolean inUse(ControlPlaneKind kind, String namespace, String name) {
    return of(kind, namespace, name).map(l -> !l.isEmpty()).orElse(true);
  }

  /** An AgentDeployment runs its deletion: the control plane waiting for it, if any, looks again. */
  void leaving(AgentDeployment resource) {
    if (resource.getSpec() == null || resource.getSpec().getControlPlaneRef() == null) {
      return;
    }
    var ref = resource.getSpec().getControlPlaneRef();
    if (ref.kindOrDefault() == ControlPlaneKind.ControlPlane) {
      ResourceID id = new ResourceID(ref.getName(), resource.getMetadata().getNamespace());
      if (waiting.contains(id)) {
        controlPlaneWakeUps.propagateEvent(id);
      }
    } else {
      ResourceID id = new ResourceID(ref.getName());
      if (waiting.contains(id)) {
        clusterWakeUps.propagateEvent(id);
      }
    }
  }

  SimpleInboundEventSource<ControlPlane> controlPlaneWakeUps() {
    return controlPlaneWakeUps;
  }

  SimpleInboundEventSource<ClusterControlPlane> clusterWakeUps() {
    return clusterWakeUps;
  }

  /** @param name the control plane's name, or null for any of that kind */
  static boolean refersTo(AgentDeployment resource, ControlPlaneKind kind, String name) {
    if (resource.getSpec() == null || resource.getSpec().getControlPlaneRef() == null) {
      return false;
    }
    var ref = resource.getSpec().getControlPlaneRef();
    return ref.kindOrDefault() == kind && (name == null || name.equals(ref.getName()));
  }

  /** True when both name the same control plane (a ControlPlane only within one namespace). */
  static boolean sameControlPlane(AgentDeployment a, AgentDeployment b) {
    if (a.getSpec() == null || a.getSpec().getControlPlaneRef() == null) {
      return false;
    }
    var ref = a.getSpec().getControlPlaneRef();
    return refersTo(b, ref.kindOrDefault(), ref.getName()) && (ref.kindOrDefault() == ControlPlaneKind.ClusterControlPlane
        || java.util.Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace()));
  }
}

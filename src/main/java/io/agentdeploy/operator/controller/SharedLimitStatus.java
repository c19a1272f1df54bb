package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.agentdeploy.operator.api.EffectiveRateLimit;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.remote.http.EffectiveLimit;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The account's shared rate limit in a control plane's status ({@code status.rateLimit}: the limit
 * applied and which ControlPlane set it), and a {@code RateLimitLowered} Warning on the one whose
 * spec holds every other ControlPlane of the account below what they ask for. When the applied
 * limit changes, every ControlPlane sharing the account is woken through {@link #wakeUps()} so its
 * status follows without a call to the remote.
 */
final class SharedLimitStatus<R extends HasMetadata> {
  private final RemoteClients clients;
  private final EventRecorder events;
  private final SimpleInboundEventSource<R> wakeUps = new SimpleInboundEventSource<>("shared-rate-limit");
  /** The limit each object was last warned about, so the Warning comes once per lowering, not per check. */
  private final Map<String, EffectiveLimit> warned = new ConcurrentHashMap<>();
  private final Function<String, Optional<ResourceID>> idOf;

  /** @param idOf the object an owner name stands for, or empty when it names another kind */
  SharedLimitStatus(RemoteClients clients, EventRecorder events, Function<String, Optional<ResourceID>> idOf) {
    this.clients = clients;
    this.events = events;
    this.idOf = idOf;
    clients.limiters().onLimitChange(owners -> owners.forEach(o -> idOf.apply(o).ifPresent(this::wake)));
  }

  /** How a ControlPlane is named as an owner of a limit: namespace/name, or name when cluster-scoped. */
  static String ownerOf(HasMetadata resource) {
    String ns = resource.getMetadata().getNamespace();
    return ns == null ? resource.getMetadata().getName() : ns + "/" + resource.getMetadata().getName();
  }

  private void wake(ResourceID id) {
    try {
      wakeUps.propagateEvent(id);
    } catch (RuntimeException notStarted) {
      // Before the controller started (no event handler yet): its first reconcile shows the limit anyway.
    }
  }

  SimpleInboundEventSource<R> wakeUps() {
    return wakeUps;
  }

  /**
   * {@code status} with the limit the account applies now; unchanged when no key is readable or
   * nothing has asked the account yet.
   *
   * @param display how messages name the object, e.g. "ControlPlane team-a"
   */
  ControlPlaneStatus withLimit(R resource, ControlPlaneSpec spec, Optional<Secret> secret, String display,
      ControlPlaneStatus status) {
    Optional<EffectiveLimit> applied;
    try {
      applied = clients.effectiveLimit(spec, ControlPlaneAccess.apiKey(spec, display, secret));
    } catch (SpecProblem | IllegalArgumentException e) {
      return status;
    }
    if (applied.isEmpty()) {
      return status;
    }
    EffectiveLimit limit = applied.get();
    EffectiveRateLimit shown = new EffectiveRateLimit(limit.requestsPerSecond(), limit.burst(), limit.setBy());
    String me = ownerOf(resource);
    EffectiveRateLimit before = status.getRateLimit();
    String uid = resource.getMetadata().getUid();
    if (!limit.lowered() || !me.equals(limit.setBy())) {
      warned.remove(uid);
    } else if (!limit.equals(warned.put(uid, limit))) {
      events.warning(resource, "RateLimitLowered", "spec.rateLimit of " + limit.requestsPerSecond()
          + " requests/s (burst " + limit.burst() + ") is the lowest on this account, so every ControlPlane "
          + "sharing it is held to it");
    }
    if (Objects.equals(shown, before)) {
      return status;
    }
    ControlPlaneStatus after = new ControlPlaneStatus();
    after.setObservedGeneration(status.getObservedGeneration());
    after.setConditions(status.getConditions());
    after.setRateLimit(shown);
    return after;
  }

  /**
   * Drops the asks of this kind's control planes not in {@code live} (gone without a cleanup), as
   * {@link #forget} does for one, and accounts no control plane asks for any more.
   */
  void retainOnly(java.util.List<R> live) {
    warned.keySet().retainAll(ResourceSweep.uids(live));
    clients.limiters().retainOwners(owner -> idOf.apply(owner).isPresent(),
        live.stream().map(SharedLimitStatus::ownerOf).collect(java.util.stream.Collectors.toSet()));
  }

  /** Drops a deleted control plane's ask: a limit it lowered rises for the others at once. */
  void forget(R resource) {
    warned.remove(resource.getMetadata().getUid());
    clients.limiters().forget(ownerOf(resource));
  }
}

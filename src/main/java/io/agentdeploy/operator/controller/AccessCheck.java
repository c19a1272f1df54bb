package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.remote.http.TrustBundle;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The check both control-plane kinds pass to be Ready: the API key exists and the API answers an
 * authenticated read. Remembers the last good check per object, so an unchanged object is not
 * asked about again before the resync interval.
 */
final class AccessCheck {
  /** The outcome of one check, and when to check again. */
  record Outcome(boolean ready, String reason, String message, Duration requeue) {}

  private final OperatorConfig config;
  private final RemoteClients clients;
  private final Clock clock;
  private final Backoff backoff;
  private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
  private final Map<String, String> lastCheckKey = new ConcurrentHashMap<>();
  private final ControlPlaneReadiness readiness;
  private final ControlPlaneKind kind;

  AccessCheck(OperatorConfig config, RemoteClients clients, Clock clock, ControlPlaneReadiness readiness,
      ControlPlaneKind kind) {
    this.readiness = readiness;
    this.kind = kind;
    this.config = config;
    this.clients = clients;
    this.clock = clock;
    this.backoff = new Backoff(config.retryInitial(), config.retryMax());
  }

  /**
   * What a check depends on: the generation and the Secret's content, not its resourceVersion
   * (our own finalizer edit must not force a re-check, a rotated key must).
   */
  static String checkKey(Long generation, Optional<Secret> secret) {
    return generation + "/" + secret.map(x -> Objects.hash(x.getData(), x.getStringData())).map(String::valueOf)
        .orElse("-");
  }

  /** How long until the next check when nothing changed since the last good one, else empty. */
  Optional<Duration> stillFresh(String uid, String checkKey, ControlPlaneStatus before) {
    Instant lastOk = lastSuccess.get(uid);
    Instant now = clock.instant();
    if (lastOk == null || !checkKey.equals(lastCheckKey.get(uid))
        || !Conditions.isTrue(before.getConditions(), Conditions.READY)
        || Duration.between(lastOk, now).compareTo(config.resync()) >= 0) {
      return Optional.empty();
    }
    return Optional.of(config.resync().minus(Duration.between(lastOk, now)));
  }

  /** @param owner how messages name the object, e.g. "ControlPlane team-a" */
  Outcome check(String uid, String checkKey, ControlPlaneSpec spec, Optional<Secret> secret,
      Optional<TrustBundle> caBundle, String owner) {
    try {
      String apiKey = ControlPlaneAccess.apiKey(spec, owner, secret);
      clients.clientFor(spec, apiKey, caBundle.orElse(null)).checkAccess();
      backoff.reset(uid);
      lastSuccess.put(uid, clock.instant());
      lastCheckKey.put(uid, checkKey);
      return new Outcome(true, "Connected", "authenticated read of " + spec.getBaseUrl() + " succeeded",
          config.resync());
    } catch (SpecProblem problem) {
      lastSuccess.remove(uid);
      return new Outcome(false, problem.reason(), problem.getMessage(), config.resync());
    } catch (RemoteException e) {
      lastSuccess.remove(uid);
      Duration requeue = e.retryAfter().orElseGet(() -> backoff.next(uid));
      return switch (e.kind()) {
        case UNAUTHORIZED -> new Outcome(false, "Unauthorized", "the control plane refused the API key: "
            + e.getMessage(), requeue);
        case NOT_FOUND, INVALID -> new Outcome(false, "UnexpectedResponse", e.getMessage()
            + "; check spec.baseUrl (self-hosted LangSmith serves the API under /api-host)", requeue);
        default -> new Outcome(false, "Unreachable", e.getMessage(), requeue);
      };
    }
  }

  /** A status that fails the check without asking the remote (a mistake in the object itself). */
  static Outcome refused(SpecProblem problem, Duration requeue) {
    return new Outcome(false, problem.reason(), problem.getMessage(), requeue);
  }

  /** Forgets the last good check, so the next reconcile checks again (its input was refused). */
  void forgetSuccess(String uid) {
    lastSuccess.remove(uid);
  }

  /** Forgets a deleted object, its readiness series included. */
  void forget(ObjectMeta meta) {
    String uid = meta.getUid();
    readiness.remove(kind, meta.getNamespace(), meta.getName());
    lastSuccess.remove(uid);
    lastCheckKey.remove(uid);
    backoff.reset(uid);
  }

  /**
   * The status after an outcome: observedGeneration and the Ready condition. The readiness metric
   * follows it here, the one place both kinds decide their Ready condition.
   */
  ControlPlaneStatus statusAfter(ObjectMeta meta, ControlPlaneStatus before, Outcome outcome) {
    Long generation = meta.getGeneration();
    readiness.set(kind, meta.getNamespace(), meta.getName(), outcome.ready(), outcome.reason());
    ControlPlaneStatus after = new ControlPlaneStatus();
    after.setObservedGeneration(generation);
    after.setConditions(Conditions.with(before.getConditions(), Conditions.READY, outcome.ready(), outcome.reason(),
        outcome.message(), generation, clock.instant()));
    return after;
  }

  /** The status of an object kept while AgentDeployments still use it. */
  ControlPlaneStatus inUse(ControlPlaneStatus before, Long generation, List<String> users) {
    ControlPlaneStatus after = new ControlPlaneStatus();
    after.setObservedGeneration(before.getObservedGeneration());
    after.setConditions(Conditions.with(before.getConditions(), "Deleting", true, "InUse",
        "kept until the AgentDeployments that use it are gone (they need it to delete their remote deployments): "
            + String.join(", ", users), generation, clock.instant()));
    return after;
  }

  /** Writes {@code after} when it differs from what the object has. */
  static <R extends CustomResource<?, ControlPlaneStatus>> void write(R resource, Context<R> context,
      ControlPlaneStatus after) {
    ControlPlaneStatus before = resource.getStatus() == null ? new ControlPlaneStatus() : resource.getStatus();
    if (!after.equals(before)) {
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, r -> {
        r.setStatus(after);
        return r;
      });
    }
  }
}

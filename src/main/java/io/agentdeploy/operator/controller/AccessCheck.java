package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
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
 * asked about again before the resync interval; nor after it, while other requests with the same
 * credentials keep getting answers (see {@link #check}).
 *
 * <p>Ready turns False only for what a person must fix (the key, the input, a URL that keeps
 * answering not found); transient trouble (timeouts, 5xx, 429, the client's own rate limit) only
 * sets the {@link Reachability Reachable} condition and leaves Ready as it was decided, so a blip
 * changes nothing the AgentDeployments react to.
 */
final class AccessCheck {
  /** A decided Ready condition. */
  record Verdict(boolean ready, String reason, String message) {}

  /**
   * The outcome of one check, and when to check again.
   *
   * @param verdict the Ready to write, or empty to keep the one already decided (transient trouble)
   * @param reach the Reachable to write, or empty when nothing was sent (a mistake in the object)
   */
  record Outcome(Optional<Verdict> verdict, Optional<Reachability> reach, Duration requeue) {
    static Outcome decided(boolean ready, String reason, String message, Reachability reach, Duration requeue) {
      return new Outcome(Optional.of(new Verdict(ready, reason, message)), Optional.ofNullable(reach), requeue);
    }
  }

  private final OperatorConfig config;
  private final RemoteClients clients;
  private final Clock clock;
  private final Backoff backoff;
  private final NotFoundStreak notFound;
  private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
  private final Map<String, String> lastCheckKey = new ConcurrentHashMap<>();
  /** When the answer that last proved each object's key came ({@link System#nanoTime()}). */
  private final Map<String, Long> lastProof = new ConcurrentHashMap<>();
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
    this.notFound = new NotFoundStreak(clock);
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

  /**
   * @param owner how messages name the object, e.g. "ControlPlane team-a"
   * @param limitOwner how the account's shared rate limit names it ("namespace/name", or "name")
   * @param caBundle the control plane's CA certificates (spec.caBundle), when it names them
   */
  Outcome check(String uid, String checkKey, ControlPlaneSpec spec, Optional<Secret> secret, String owner,
      String limitOwner, Optional<TrustBundle> caBundle) {
    boolean unchanged = checkKey.equals(lastCheckKey.put(uid, checkKey));
    if (!unchanged) {
      notFound.reset(uid);
    }
    try {
      String apiKey = ControlPlaneAccess.apiKey(spec, owner, secret);
      RemoteDeploymentClient client = clients.clientFor(spec, apiKey, limitOwner, caBundle.orElse(null));
      // With many AgentDeployments the batch lists answer every resync with these same credentials:
      // that answer is the proof, and the check costs no request of its own.
      Optional<Duration> proven = unchanged && lastSuccess.containsKey(uid) ? answeredSinceLastProof(uid, client)
          : Optional.empty();
      if (proven.isEmpty()) {
        client.checkAccess();
      }
      Duration age = proven.orElse(Duration.ZERO);
      lastProof.put(uid, System.nanoTime() - age.toNanos());
      backoff.reset(uid);
      notFound.reset(uid);
      lastSuccess.put(uid, clock.instant().minus(age));
      // Proven by another answer: the next check falls due one interval after that answer, when the
      // poller's next round answers too. Leave it half the slack to arrive (its list may take longer
      // than this one did), else the check and the round race and the check often sends its own.
      Duration requeue = proven.isPresent() ? config.resync().minus(age).plus(evidenceSlack().dividedBy(2))
          : config.resync();
      return Outcome.decided(true, "Connected", "authenticated read of " + spec.getBaseUrl() + " succeeded",
          Reachability.answered(), requeue.compareTo(evidenceSlack()) < 0 ? evidenceSlack() : requeue);
    } catch (SpecProblem problem) {
      lastSuccess.remove(uid);
      notFound.reset(uid);
      return Outcome.decided(false, problem.reason(), problem.getMessage(), null, config.resync());
    } catch (RuntimeException unclassified) {
      RemoteException e = Failures.classified(unclassified);
      lastSuccess.remove(uid);
      Duration requeue = e.retryAfter().orElseGet(() -> backoff.next(uid));
      return switch (e.kind()) {
        case UNAUTHORIZED -> {
          notFound.reset(uid);
          // The detail (status, request id) goes to the KeyRejected event; Ready's text stays fixed.
          yield Outcome.decided(false, "Unauthorized", "the control plane refused the API key in Secret "
              + spec.getApiKeySecretRef().getName() + "; put a valid key there", new Reachability(true,
              Reasons.REACHABLE, e.getMessage()), requeue);
        }
        case NOT_FOUND, INVALID -> notFound.record(uid)
            ? Outcome.decided(false, "UnexpectedResponse", "the check URL kept answering not found (or refused "
                + "the request) over several checks; check spec.baseUrl (self-hosted LangSmith serves the API "
                + "under /api-host)", Reachability.notFound(e.getMessage()), requeue)
            : new Outcome(Optional.empty(), Optional.of(Reachability.notFound(e.getMessage())), requeue);
        case RATE_LIMITED -> new Outcome(Optional.empty(), Optional.of(Reachability.throttled(e.getMessage())),
            requeue);
        // Its text names the host and the cause, nothing that changes between checks.
        case UNTRUSTED -> Outcome.decided(false, "TlsUntrusted", e.getMessage(),
            Reachability.unreachable(e.getMessage()), requeue);
        case UNEXPECTED -> new Outcome(Optional.empty(), Optional.of(Reachability.unexpected(e.getMessage())),
            requeue);
        default -> new Outcome(Optional.empty(), Optional.of(Reachability.unreachable(e.getMessage())), requeue);
      };
    }
  }

  /**
   * The age of the newest answer any request got with these credentials, when it came after the
   * one that proved the key last time (an answer stands in for one check only) and is young
   * enough to stand in for this one.
   */
  private Optional<Duration> answeredSinceLastProof(String uid, RemoteDeploymentClient client) {
    long now = System.nanoTime();
    Long last = lastProof.get(uid);
    return client.sinceLastAnswer().filter(age -> last == null || now - age.toNanos() - last > 0)
        .filter(age -> age.compareTo(config.resync().plus(evidenceSlack())) <= 0);
  }

  /**
   * How much older than the resync interval another request's answer may be and still stand in
   * for the check: the batch poller lists once per interval, so its newest answer is up to one
   * interval (plus the list's own time) old whenever the check falls due.
   */
  private Duration evidenceSlack() {
    Duration fifth = config.resync().dividedBy(5);
    return fifth.compareTo(Duration.ofMillis(500)) < 0 ? Duration.ofMillis(500) : fifth;
  }

  /** A status that fails the check without asking the remote (a mistake in the object itself). */
  static Outcome refused(SpecProblem problem, Duration requeue) {
    return Outcome.decided(false, problem.reason(), problem.getMessage(), null, requeue);
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
    lastProof.remove(uid);
    notFound.reset(uid);
    backoff.reset(uid);
  }

  /** Drops the memory of objects of this kind not in {@code live} (gone without a cleanup), as {@link #forget} does. */
  void retainOnly(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> live) {
    java.util.Set<String> uids = ResourceSweep.uids(live);
    java.util.stream.Stream.of(lastSuccess, lastCheckKey, lastProof).forEach(m -> m.keySet().retainAll(uids));
    notFound.retainOnly(uids);
    backoff.retainOnly(uids);
    readiness.retainOnly(kind, live);
  }

  /**
   * The status after an outcome: observedGeneration, Ready and Reachable. Without a verdict, Ready
   * stays as decided for this generation; with none decided yet it is False Unreachable (not
   * checked), with a fixed message. The readiness metric follows Ready here, the one place both
   * kinds decide it.
   */
  ControlPlaneStatus statusAfter(ObjectMeta meta, ControlPlaneStatus before, Outcome outcome) {
    Long generation = meta.getGeneration();
    Instant now = clock.instant();
    List<Condition> conditions = before.getConditions();
    Optional<Condition> decided = Conditions.find(conditions, Conditions.READY)
        .filter(c -> Objects.equals(c.getObservedGeneration(), generation));
    Verdict ready = outcome.verdict().orElseGet(() -> decided.map(c -> new Verdict("True".equals(c.getStatus()),
        c.getReason(), c.getMessage())).orElse(new Verdict(false, "Unreachable", "not checked yet: the control "
        + "plane has not answered (see the Reachable condition)")));
    conditions = Conditions.with(conditions, Conditions.READY, ready.ready(), ready.reason(), ready.message(),
        generation, now);
    if (outcome.reach().isPresent()) {
      Reachability reach = outcome.reach().get();
      conditions = Conditions.with(conditions, Reachability.TYPE, reach.reachable(), reach.reason().reason,
          reach.message(), generation, now);
    }
    readiness.set(kind, meta.getNamespace(), meta.getName(), ready.ready(), ready.reason());
    ControlPlaneStatus after = new ControlPlaneStatus();
    after.setObservedGeneration(generation);
    after.setConditions(conditions);
    after.setRateLimit(before.getRateLimit());
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

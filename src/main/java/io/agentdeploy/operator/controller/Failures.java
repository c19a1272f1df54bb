package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.SpecProblem;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error path of a reconcile: sets the conditions and the phase, emits at most one event for
 * a new reason, and decides the requeue. JOSDK's own retry is not relied on.
 */
final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private final OperatorConfig config;
  private final EventRecorder events;
  private final Backoff backoff;

  Failures(OperatorConfig config, EventRecorder events, Backoff backoff) {
    this.config = config;
    this.events = events;
    this.backoff = backoff;
  }

  Duration onSpecProblem(ReconcilePass p, SpecProblem problem) {
    p.draft.synced(false, problem.reason(), problem.getMessage());
    if (("ControlPlaneNotReady".equals(problem.reason()) || "NamespaceNotAllowed".equals(problem.reason()))
        && p.desired != null) {
      // The deployment keeps running while the ControlPlane check fails (often a passing outage) or
      // while its namespace is off a ClusterControlPlane's allow-list.
      notYetApplied(p, problem.getMessage());
      if (p.draft.status.getDeploymentId() == null) {
        p.draft.ready(false, problem.reason(), problem.getMessage());
      }
    } else {
      p.draft.ready(false, problem.reason(), problem.getMessage());
    }
    boolean waiting = problem.reason().startsWith("ControlPlane") || problem.reason().startsWith("Secret")
        || problem.reason().equals("NamespaceNotAllowed")
        || problem.reason().startsWith("ConfigMap");
    if (p.draft.status.getDeploymentId() == null || !waiting) {
      p.draft.phase(waiting ? "Pending" : "Error");
    }
    if (!problem.reason().equals(Conditions.reason(p.before.getConditions(), Conditions.SYNCED))) {
      events.warning(p.resource, problem.reason(), problem.getMessage());
    }
    // The watches on Secrets and ControlPlanes bring the resource back as soon as they change.
    return problem.waitsOnOthers() ? config.pollMax() : config.resync();
  }

  Duration onRemoteError(ReconcilePass p, RemoteException e) {
    String message = e.getMessage() + e.requestId().map(id -> " (request id " + id + ")").orElse("");
    // Conditions get the same text for the same trouble (no request id): a repeated pass writes nothing.
    String stable = e.getMessage();
    if (e.isTransient() || e.kind() == RemoteException.Kind.UNAUTHORIZED || e.kind() == RemoteException.Kind.NOT_FOUND
        || e.kind() == RemoteException.Kind.UNTRUSTED) {
      notYetApplied(p, stable);
    }
    switch (e.kind()) {
      case INVALID -> {
        p.draft.synced(false, RejectedSpec.REASON, stable + "; " + RejectedSpec.howToRetry());
        boolean deployed = p.draft.status.getDeploymentId() != null;
        if (!deployed) {
          p.draft.ready(false, RejectedSpec.REASON, stable);
        }
        p.draft.phase("Error");
        if (p.desired != null) {
          p.draft.status.setRejectedStateHash(p.desired.hash());
        }
        events.warning(p.resource, RejectedSpec.REASON, message);
        // What runs keeps being observed (Ready, URL, revision status), soon while a rollout may go on.
        return deployed ? config.pollInitial() : config.resync();
      }
      case RATE_LIMITED -> {
        if (Throttled.reserved(e)) {
          return Throttled.giveBack(p, e);
        }
        if (Conditions.isTrue(p.before.getConditions(), Conditions.SYNCED) && appliedAlready(p)) {
          // Only this pass's check was throttled: what Synced says still holds, so it is not flipped.
          LOG.debug("{}: rate limited while checking the remote, retrying later: {}", p.ref(), message);
        } else {
          p.draft.synced(false, "RateLimited", "the control plane asked to slow down; retrying later");
        }
        Duration wait = e.retryAfter().orElse(config.retryInitial());
        return wait.plusMillis(ThreadLocalRandom.current().nextLong(wait.toMillis() / 10 + 100));
      }
      case ROLLOUT_IN_PROGRESS -> {
        // Known from the latest revision's own status, read after the refusal, not from its text.
        p.draft.synced(false, "RolloutInProgress",
            "the control plane accepts the change once the current revision finishes: " + stable);
        return backoff.next(p.key());
      }
      case UNAUTHORIZED -> {
        p.draft.synced(false, "Unauthorized", "the control plane refused the API key of "
            + p.controlPlane() + ": " + stable);
        if (!"Unauthorized".equals(Conditions.reason(p.before.getConditions(), Conditions.SYNCED))) {
          events.warning(p.resource, "Unauthorized", message);
        }
        return backoff.next(p.key());
      }
      case UNTRUSTED -> {
        p.draft.synced(false, "TlsUntrusted", stable + "; " + p.controlPlane() + " must trust it (spec.caBundle) "
            + "or the server must present another certificate");
        return backoff.next(p.key());
      }
      default -> {
        p.draft.synced(false, "RemoteUnavailable", "the control plane did not answer successfully; retrying: "
            + stable);
        LOG.info("{}: remote call failed, retrying with backoff: {}", p.ref(), message);
        return backoff.next(p.key());
      }
    }
  }

  /** The remote already runs the spec as it is now (nothing waits to be sent). */
  private static boolean appliedAlready(ReconcilePass p) {
    return p.desired != null && !p.hashKeyChanged && p.desired.hash().equals(p.draft.status.getDesiredStateHash());
  }

  /**
   * A transient failure keeps Ready as it was when the remote already runs what the spec asks
   * (a failed read changes nothing); when the spec changed and could not be applied, the live
   * revision no longer matches it, so Ready turns False.
   */
  static void notYetApplied(ReconcilePass p, String message) {
    if (p.desired != null && !p.hashKeyChanged && !p.desired.hash().equals(p.draft.status.getDesiredStateHash())) {
      p.draft.ready(false, "UpdatePending", "generation " + p.resource.getMetadata().getGeneration()
          + " is not applied yet: " + message);
      p.draft.phase("Pending");
    }
  }
}

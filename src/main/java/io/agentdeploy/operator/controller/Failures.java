package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.SpecProblem;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
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
    // Events and the log get the details (status, the remote's words, request id); conditions get a
    // text fixed per kind of trouble, so a repeated failure with other details writes nothing.
    String message = e.getMessage() + e.requestId().map(id -> " (request id " + id + ")").orElse("");
    if (e.kind() != RemoteException.Kind.INVALID) {
      notYetApplied(p, trouble(e));
    }
    switch (e.kind()) {
      case INVALID -> {
        // The API's reason for refusing the spec is what to fix: RemoteRejected quotes it.
        String stable = e.getMessage();
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
            "the control plane accepts the change once the current revision finishes; sent again with backoff");
        LOG.info("{}: change refused while a revision rolls out, retrying with backoff: {}", p.ref(), message);
        return backoff.next(p.key());
      }
      case UNAUTHORIZED -> {
        p.draft.synced(false, "Unauthorized", "the control plane refused the API key of " + p.controlPlane()
            + "; put a valid key in its Secret (the Unauthorized event has the answer)");
        if (!"Unauthorized".equals(Conditions.reason(p.before.getConditions(), Conditions.SYNCED))) {
          events.warning(p.resource, "Unauthorized", message);
        }
        return backoff.next(p.key());
      }
      case UNTRUSTED -> {
        // Its text names the host and the cause, nothing that changes between attempts.
        p.draft.synced(false, "TlsUntrusted", e.getMessage() + "; " + p.controlPlane() + " must trust it "
            + "(spec.caBundle) or the server must present another certificate");
        return backoff.next(p.key());
      }
      case UNEXPECTED -> {
        p.draft.synced(false, "UnexpectedError", UNEXPECTED_TEXT);
        if (!"UnexpectedError".equals(Conditions.reason(p.before.getConditions(), Conditions.SYNCED))) {
          events.warning(p.resource, "UnexpectedError", message);
        }
        // One line per pass, with the class and the operator's code line, never a stack trace.
        LOG.warn("{}: {}; retrying with backoff", p.ref(), message);
        return backoff.next(p.key());
      }
      default -> {
        p.draft.synced(false, "RemoteUnavailable", trouble(e) + "; retried with backoff (each attempt's details "
            + "are in the operator log); if it persists, check the control plane's status page and the network");
        LOG.info("{}: remote call failed, retrying with backoff: {}", p.ref(), message);
        return backoff.next(p.key());
      }
    }
  }

  /** The Synced message of {@link RemoteException.Kind#UNEXPECTED}: fixed, the details go to the event and log. */
  static final String UNEXPECTED_TEXT = "a call to the control plane failed in a way the operator does not classify "
      + "(a request it could not build or an answer it could not use; the UnexpectedError event and the operator "
      + "log name it); retried with backoff; if it persists, report it with that log line";

  /** The DeleteFailed condition's message: stable as {@link #trouble} is, the details go to the event. */
  static String deleteFailed(RemoteException e) {
    return "deleting the remote deployment failed (" + trouble(e) + "); retried with backoff, the DeleteFailed "
        + "event has the details; if it persists, see docs/troubleshooting.md#stuck-deletion";
  }

  /**
   * What went wrong, in words that stay the same from one attempt to the next: no remote text, no
   * status code, no request id, no wait (those go to events and the log).
   */
  static String trouble(RemoteException e) {
    return switch (e.kind()) {
      case UNAUTHORIZED -> "the control plane refused the API key";
      case UNTRUSTED -> "the control plane's TLS certificate is not trusted";
      case RATE_LIMITED -> "the control plane asked to slow down";
      case ROLLOUT_IN_PROGRESS -> "a revision is still rolling out";
      case INVALID -> "the control plane refused the request";
      case NOT_FOUND -> "the control plane answered not found";
      case CONFLICT -> "the control plane reported a conflicting change";
      case UNEXPECTED -> "an error the operator does not classify";
      case RETRYABLE -> "the control plane did not answer successfully";
    };
  }

  /**
   * A RuntimeException out of a reconcile pass as a classified error: a {@link RemoteException} as
   * it is, anything else as {@link RemoteException.Kind#UNEXPECTED}. A failure of
   * the Kubernetes API is rethrown: JOSDK's retry handles those (the status may not even be writable).
   */
  static RemoteException classified(RuntimeException e) {
    if (e instanceof RemoteException remote) {
      return remote;
    }
    if (e instanceof KubernetesClientException || e instanceof OperatorException) {
      throw e;
    }
    return RemoteException.unexpected("reconcile", e);
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

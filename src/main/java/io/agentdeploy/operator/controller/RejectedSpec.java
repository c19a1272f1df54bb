package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.remote.Observation;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A desired state the remote refused ({@code status.rejectedStateHash}) is not sent again, so a
 * bad spec costs one request, not one per pass. The resource still observes the remote every pass
 * (Ready, URL and revision status follow what runs there); only the write is held back, with
 * {@code Synced=False RemoteRejected}. A refusal fixed on the remote side (a quota raised, a
 * setting enabled) is retried by a new value of {@value Annotations#RECONCILE_REQUESTED_AT}: the
 * mark is dropped and the spec is sent once more.
 */
final class RejectedSpec {
  static final String REASON = "RemoteRejected";
  private static final Logger LOG = LoggerFactory.getLogger(RejectedSpec.class);

  private RejectedSpec() {}

  /**
   * Once the desired state is known: a new reconcile-requested-at value drops the mark, so the
   * spec is sent again; so does a desired state other than the refused one (the spec moved on, and
   * coming back to the refused spec later is a new attempt).
   */
  static void settle(ReconcilePass p) {
    AgentDeploymentStatus s = p.draft.status;
    if (s.getRejectedStateHash() == null || p.desired == null || p.hashKeyChanged) {
      return; // under a replaced hash key nothing compares; HashKeys decides (and keeps the mark)
    }
    String requested = Annotations.get(p.resource, Annotations.RECONCILE_REQUESTED_AT);
    if (requested != null && !Objects.equals(requested, p.before.getReconcileRequestHandled())) {
      LOG.info("{}: {} {} asks to retry the spec the control plane refused; sending it again", p.ref(),
          Annotations.RECONCILE_REQUESTED_AT, requested);
      s.setRejectedStateHash(null);
    } else if (!p.desired.hash().equals(s.getRejectedStateHash())) {
      s.setRejectedStateHash(null);
    }
  }

  /** True when the desired state is the one the remote refused and nothing asked to send it again. */
  static boolean holds(ReconcilePass p) {
    return p.desired != null && p.desired.hash().equals(p.draft.status.getRejectedStateHash());
  }

  /**
   * Keeps saying why the spec is not applied, after the rest of the pass followed the remote;
   * {@code observation} is null when no remote deployment runs (a refused create).
   */
  static Duration keep(ReconcilePass p, Observation observation, Duration requeue) {
    String before = Conditions.find(p.before.getConditions(), Conditions.SYNCED)
        .filter(c -> REASON.equals(c.getReason())).map(c -> c.getMessage()).orElse(null);
    String message = before != null ? before : "the control plane refused generation "
        + p.resource.getMetadata().getGeneration() + "; " + howToRetry();
    p.draft.synced(false, REASON, message);
    if (observation == null) {
      p.draft.ready(false, REASON, message);
    }
    p.draft.phase("Error");
    return requeue;
  }

  /** The end of every RemoteRejected message: what a person can do about it. */
  static String howToRetry() {
    return "it is not sent again until the spec changes, or, once the cause is fixed on the control plane, "
        + "until the " + Annotations.RECONCILE_REQUESTED_AT + " annotation gets a new value";
  }
}

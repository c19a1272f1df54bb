package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.remote.StateHasher;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the hashes in status comparable with the desired state's, at the start of every pass:
 *
 * <ul>
 *   <li>a status without hashes is stamped with the current scheme and key id;
 *   <li>a status an older version wrote (plain SHA-256, no hashScheme) is verified once with the
 *       old scheme against the current desired state: what matches is rewritten keyed, what
 *       cannot be verified is dropped (so it matches nothing). Nothing is sent: an upgrade never
 *       causes a rollout, and a spec changed meanwhile is applied as any change;
 *   <li>a status made under another key (the key Secret was lost and a new one made) can be
 *       compared with nothing. Re-applying every resource would roll all of them out, so the
 *       resource keeps observing, sends nothing and says {@value #REASON}, until its spec changes
 *       (a new generation) or {@code reconcile-requested-at} gets a new value: then its old
 *       hashes are dropped and it applies under the current key.
 * </ul>
 */
final class HashKeys {
  static final String REASON = "HashKeyChanged";
  private static final Logger LOG = LoggerFactory.getLogger(HashKeys.class);

  private final RemoteClients clients;
  private final EventRecorder events;
  private final String keySecret;

  /** @param keySecret namespace/name of the key Secret, for messages */
  HashKeys(RemoteClients clients, EventRecorder events, String keySecret) {
    this.clients = clients;
    this.events = events;
    this.keySecret = keySecret;
  }

  /** Brings the draft status to the current key, or marks the pass {@link ReconcilePass#hashKeyChanged}. */
  void settle(ReconcilePass p) {
    AgentDeploymentStatus s = p.draft.status;
    String keyId = clients.hasher().keyId();
    if (StateHasher.SCHEME.equals(s.getHashScheme()) && keyId.equals(s.getHashKeyId())) {
      return;
    }
    if (!StatusHashes.any(s)) {
      stamp(s);
    } else if (s.getHashScheme() == null) {
      migrate(p);
    } else if (reapplyRequested(p) || (s.getDeploymentId() == null && s.getRejectedStateHash() == null)) {
      // Asked to apply, or nothing deployed whose rollout a re-apply could repeat.
      LOG.info("{}: status hashes were made under hash key {}, the operator holds {}; applying under the new key",
          p.ref(), s.getHashKeyId(), keyId);
      release(p);
    } else {
      p.hashKeyChanged = true;
    }
  }

  /**
   * True while the hashes cannot be compared for a resource that never deployed: the remote
   * refused its spec under the old key, and it is not sent again either. (A spec refused under the
   * current key is held back by {@link RejectedSpec}, which still observes the remote.)
   */
  boolean refusedBefore(ReconcilePass p) {
    if (p.hashKeyChanged && p.draft.status.getDeploymentId() == null) {
      reported(p, null);
      return true;
    }
    return false;
  }

  /** Before a create: a deployment that is gone is made again whatever the key, under the current one. */
  void beforeCreate(ReconcilePass p) {
    if (p.hashKeyChanged) {
      release(p);
    }
  }

  /** Says why nothing is applied while the status hashes cannot be compared; returns the observation. */
  Observation reported(ReconcilePass p, Observation observation) {
    String message = "the hash key Secret " + keySecret + " was replaced since this status was written, so whether "
        + "the remote runs the current spec and Secret values cannot be verified; nothing is re-applied until the "
        + "next spec change or a new value of the " + Annotations.RECONCILE_REQUESTED_AT + " annotation"
        + (observation != null && !observation.upToDate()
            ? " (the remote also differs from the spec in " + String.join(", ", observation.drift()) + ")" : "");
    p.draft.synced(false, REASON, message);
    if (!REASON.equals(Conditions.reason(p.before.getConditions(), Conditions.SYNCED))) {
      events.warning(p.resource, REASON, message);
    }
    return observation;
  }

  private void migrate(ReconcilePass p) {
    DesiredDeployment desired;
    try {
      desired = clients.desiredState(p.resource.getSpec(), p.reads);
    } catch (SpecProblem notResolvableNow) {
      // The pass reports the problem; the old hashes are verified once the desired state resolves.
      return;
    }
    AgentDeploymentStatus s = p.draft.status;
    String before = s.getDesiredStateHash();
    StatusHashes.rewrite(s, verified(desired.canonicalState(), desired.hash()),
        verified(desired.canonicalDeploymentState(), desired.deploymentHash()));
    stamp(s);
    LOG.info("{}: status hashes rewritten as {} under key {}; the applied state {}", p.ref(), StateHasher.SCHEME,
        s.getHashKeyId(), before == null ? "was not recorded" : s.getDesiredStateHash() != null
            ? "matches the spec (no re-apply)" : "differs from the spec (applied as a change)");
  }

  /** Maps the old plain hash of {@code canonical} to its keyed hash; any other old hash to null. */
  private static UnaryOperator<String> verified(byte[] canonical, String keyed) {
    String legacy = canonical == null ? null : StateHasher.legacyHash(canonical);
    return old -> legacy != null && legacy.equals(old) ? keyed : null;
  }

  private void release(ReconcilePass p) {
    StatusHashes.forget(p.draft.status);
    stamp(p.draft.status);
    p.hashKeyChanged = false;
  }

  private void stamp(AgentDeploymentStatus s) {
    s.setHashScheme(StateHasher.SCHEME);
    s.setHashKeyId(clients.hasher().keyId());
  }

  /** A new generation (the spec changed) or a new reconcile-requested-at value since the last pass. */
  private static boolean reapplyRequested(ReconcilePass p) {
    String requested = Annotations.get(p.resource, Annotations.RECONCILE_REQUESTED_AT);
    return !Objects.equals(p.before.getObservedGeneration(), p.resource.getMetadata().getGeneration())
        || (requested != null && !requested.equals(p.before.getReconcileRequestHandled()));
  }
}

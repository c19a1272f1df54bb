package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.DriftGuardRecord;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteClients;
import java.util.List;
import java.util.Objects;

/**
 * Stops drift correction that cannot succeed. A control plane that rewrites a field the operator
 * sets (a registry mirror, a canonical form the comparison does not know) would otherwise get a
 * PATCH, and a new revision, on every resync. So after a PATCH that corrected drift the next
 * observation is checked: when the same fields still drift, the guard trips ({@value #REASON}:
 * Synced=False, one Warning event, the fields and a keyed hash of the remote's values for them in
 * status.driftGuard) and drift is not patched again until the spec changes, the remote's values of
 * those fields change, another field drifts, or reconcile-requested-at gets a new value. Spec changes are applied as
 * always, and Ready keeps following the rollout.
 */
final class DriftGuard {
  static final String REASON = "DriftUnresolvable";

  private final EventRecorder events;
  private final RemoteClients clients;

  DriftGuard(EventRecorder events, RemoteClients clients) {
    this.events = events;
    this.clients = clients;
  }

  /**
   * @return true when the drift of this observation must not be patched (the pass then reports
   *     {@value #REASON} and only follows the rollout); false when {@code change} may proceed
   */
  boolean holds(ReconcilePass p, Observation observation, Update.Change change) {
    DriftGuardRecord record = p.draft.status.getDriftGuard();
    if (record == null) {
      return false;
    }
    if (change != Update.Change.DRIFT || rearmed(p, record, observation)) {
      // Nothing drifts any more, the spec or the remote changed, or a person asked: correct drift again (once).
      p.draft.status.setDriftGuard(null);
      return false;
    }
    if (DriftGuardRecord.CHECKING.equals(record.getState())) {
      List<String> still = observation.drift().stream().filter(record.getFields()::contains).toList();
      if (still.isEmpty()) {
        // Other fields drift now: a new case of drift, corrected like the first.
        p.draft.status.setDriftGuard(null);
        return false;
      }
      record = new DriftGuardRecord(DriftGuardRecord.UNRESOLVABLE, still, null, remoteHash(observation, still),
          p.desired.hash(), requestedAt(p));
      p.draft.status.setDriftGuard(record);
      // The event names what armed the guard, so a trip after a re-arm is a new event, not a duplicate.
      events.warning(p.resource, REASON, message(record) + " (generation " + p.resource.getMetadata().getGeneration()
          + (record.getReconcileRequestedAt() == null ? "" : ", reconcile-requested-at "
              + abbreviated(record.getReconcileRequestedAt())) + ")");
    }
    p.draft.synced(false, REASON, message(record));
    return true;
  }

  /** Arms the check after a PATCH that corrected the drift of {@code observation} as {@code revision}. */
  static void corrected(ReconcilePass p, Observation observation, String revision) {
    p.draft.status.setDriftGuard(new DriftGuardRecord(DriftGuardRecord.CHECKING, observation.drift(), revision, null,
        p.desired.hash(), requestedAt(p)));
  }

  private boolean rearmed(ReconcilePass p, DriftGuardRecord record, Observation observation) {
    String requested = requestedAt(p);
    return !p.desired.hash().equals(record.getDesiredStateHash())
        || (requested != null && !requested.equals(record.getReconcileRequestedAt()))
        || (DriftGuardRecord.UNRESOLVABLE.equals(record.getState())
            && (!record.getFields().containsAll(observation.drift())
                || !Objects.equals(record.getRemoteHash(), remoteHash(observation, record.getFields()))));
  }

  /** Keyed, like every hash in status: the values may be derived from Secrets. */
  private String remoteHash(Observation observation, List<String> fields) {
    return clients.hasher().hash(observation.driftedValues().canonical(fields));
  }

  private static String requestedAt(ReconcilePass p) {
    return Annotations.get(p.resource, Annotations.RECONCILE_REQUESTED_AT);
  }

  /** Annotation values are free text of any length: an event shows enough to tell them apart. */
  private static String abbreviated(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "...";
  }

  private static String message(DriftGuardRecord record) {
    return "the control plane still differs from the spec in " + String.join(", ", record.getFields())
        + " right after the operator patched them back (it rewrites or normalises them); they are not patched "
        + "again until the spec, the control plane's values of these fields or the "
        + Annotations.RECONCILE_REQUESTED_AT + " annotation change";
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ownership across ControlPlane edits: a resource's remote objects live in the account recorded
 * at create or adopt time. When the ControlPlane now addresses another account (a new base URL,
 * tenant, account id, or a key of another workspace), nothing is created, changed or deleted until
 * the ControlPlane points back or its owner accepts the move with {@link Annotations#ACCEPT_ACCOUNT}.
 * After a change of settings, not-found is an account change, never an out-of-band deletion,
 * until the deployment has been read once with the new settings.
 */
final class AccountGuard {
  private final OperatorConfig config;
  private final EventRecorder events;
  /** Not-found answers that need a second read later (provider rule), by resource uid and id. */
  private final Map<String, Instant> recheck = new ConcurrentHashMap<>();

  AccountGuard(OperatorConfig config, EventRecorder events) {
    this.config = config;
    this.events = events;
  }

  /** True when the recorded account differs from the ControlPlane's and no accepted move covers it. */
  boolean blocked(ReconcilePass p) {
    String recorded = p.draft.status.getAccount();
    return recorded != null && !recorded.equals(p.target.account().display()) && !p.target.moveAccepted();
  }

  /** True when a not-found may be taken as a deletion: same account, same settings as the last good read. */
  boolean trusted(ReconcilePass p) {
    return p.target.account().display().equals(p.draft.status.getAccount())
        && p.target.settings().equals(p.draft.status.getAccountSettings());
  }

  /** A read in the current account succeeded: record it as the deployment's account. */
  void confirmed(ReconcilePass p, Observation observation) {
    String recorded = p.draft.status.getAccount();
    String current = p.target.account().display();
    if (recorded != null && !recorded.equals(current)) {
      events.normal(p.resource, "AccountMoved", "remote deployment " + observation.deploymentId() + " reads in "
          + current + " (accepted move from " + recorded + "); it stays managed by this resource");
    }
    recordCurrent(p);
    if (observation.remoteAccount() != null) {
      p.draft.status.setRemoteAccount(observation.remoteAccount());
    }
  }

  static void recordCurrent(ReconcilePass p) {
    p.draft.status.setAccount(p.target.account().display());
    p.draft.status.setAccountSettings(p.target.settings());
  }

  /**
   * A confirmed not-found of the recorded deployment: an out-of-band deletion (recreate) only in
   * the same account with the same settings; otherwise an account change, which waits unless the
   * move was accepted (then the old deployment is recorded as left behind).
   *
   * @return the requeue when nothing may be created, empty when the caller may create again
   */
  java.util.Optional<Duration> afterConfirmedAbsence(ReconcilePass p, String deploymentId) {
    if (trusted(p)) {
      events.warning(p.resource, "RemoteDeleted", "remote deployment " + deploymentId
          + " no longer exists (deleted outside the operator); creating it again");
      return java.util.Optional.empty();
    }
    if (!p.target.moveAccepted()) {
      return java.util.Optional.of(report(p, deploymentId, false));
    }
    orphan(p, deploymentId);
    p.draft.clearRemote();
    recordCurrent(p);
    // The create's write-ahead record is written before it is sent: that status must not still say
    // Ready about the deployment left behind.
    p.draft.ready(false, "Progressing", "remote deployment " + deploymentId + " stays in the old account; "
        + "creating this resource's deployment in " + p.target.account().display());
    p.draft.phase("Creating");
    return java.util.Optional.empty();
  }

  /** The move was accepted and the deployment is not in the new account: it stays where it was. */
  void orphan(ReconcilePass p, String deploymentId) {
    String old = p.draft.status.getAccount() == null ? "an earlier account" : p.draft.status.getAccount();
    List<String> orphaned = new ArrayList<>(p.draft.status.getOrphaned() == null ? List.of()
        : p.draft.status.getOrphaned());
    String entry = deploymentId + " (" + old + ")";
    if (orphaned.contains(entry)) {
      return;
    }
    orphaned.add(entry);
    p.draft.status.setOrphaned(orphaned);
    events.warning(p.resource, "Orphaned", "remote deployment " + deploymentId + " stays in " + old
        + " (" + p.target.controlPlane() + " now addresses " + p.target.account().display()
        + " and the move was accepted); it is no longer managed, delete it there if it is not needed");
  }

  /** Reports why nothing is sent; the ControlPlane's watch brings the resource back when it changes. */
  Duration report(ReconcilePass p, String deploymentId, boolean deleting) {
    String recorded = p.draft.status.getAccount();
    String current = p.target.account().display();
    String cp = p.target.controlPlane();
    String accepted = p.target.acceptedAccount();
    String reason = accepted != null && !p.target.moveAccepted() ? "AccountNotAccepted" : "ControlPlaneChanged";
    String where = recorded != null && !recorded.equals(current) ? "was made in " + recorded + ", but " + cp
        + " now addresses " + current
        : "was not found with the current settings of " + cp + " (" + current + "); the settings or key changed "
            + "since it was last read, so it may live in another account";
    String message = "remote deployment " + deploymentId + " " + where + "; nothing is "
        + (deleting ? "deleted" : "created, changed or deleted") + " until " + cp + " points back to the account "
        + "the deployment is in, or its owner sets the annotation " + Annotations.ACCEPT_ACCOUNT + ": " + current
        + " on it (a deployment found there is kept, otherwise the old one is left where it is and "
        + (deleting ? "this resource is released)" : "a new one is created)")
        + (deleting ? ", or spec.deletionPolicy is set to Orphan" : "")
        + ("AccountNotAccepted".equals(reason) ? "; the annotation names " + accepted + ", which is not the current "
            + "account, so it is ignored" : "");
    if (!reason.equals(Conditions.reason(p.before.getConditions(), Conditions.SYNCED))) {
      events.warning(p.resource, reason, message);
    }
    p.draft.synced(false, reason, message);
    return config.resync();
  }

  /**
   * For providers whose not-found needs a second read later: true once a not-found was seen at
   * least one poll interval ago and again now.
   */
  boolean absenceConfirmed(ReconcilePass p, Observation observation) {
    String key = p.key() + "|" + observation.deploymentId();
    if (observation.absence() == Observation.Absence.CONFIRMED) {
      recheck.remove(key);
      return true;
    }
    if (observation.absence() == Observation.Absence.PRESENT) {
      recheck.remove(key);
      return false;
    }
    Instant first = recheck.putIfAbsent(key, p.now);
    if (first != null && !p.now.isBefore(first.plus(config.pollInitial()))) {
      recheck.remove(key);
      return true;
    }
    return false;
  }

  void forget(ReconcilePass p) {
    recheck.keySet().removeIf(k -> k.startsWith(p.key() + "|"));
  }

  /** Drops pending re-reads of resources not in {@code live} (gone without a cleanup). */
  void retainOnly(java.util.Set<String> live) {
    recheck.keySet().removeIf(k -> !live.contains(k.substring(0, k.indexOf('|'))));
  }
}

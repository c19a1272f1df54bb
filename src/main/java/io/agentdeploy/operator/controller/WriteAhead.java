package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.WriteAheadRecord;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.http.CallScope;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The write-ahead record of DESIGN.md §4.1: written with the resource's resourceVersion before
 * every remote write (a stale writer fails with a conflict), cleared by the status write that
 * records the outcome. It bounds the evidence a lost answer may use: a remote object is this
 * write's only if made inside [first attempt - skew, last attempt + request timeout + skew], and
 * while the last attempt may still be in flight nothing is sent again, only looked up.
 */
final class WriteAhead {
  static final String CREATE = "Create";
  static final String UPDATE = "Update";
  static final String REDEPLOY = "Redeploy";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Duration skew;
  private final Duration requestTimeout;

  WriteAhead(OperatorConfig config) {
    this.skew = config.adoptSkew();
    this.requestTimeout = config.requestTimeout();
  }

  /**
   * The open record: status.writeAhead; else a first create's record, written with the finalizer
   * in the write-ahead annotation (see {@link Finalizer#createRecord}); else, for resources an
   * older version started, its create-intent annotation (only while no deployment is recorded).
   */
  static Optional<WriteAheadRecord> open(ReconcilePass p) {
    if (p.draft.status.getWriteAhead() != null) {
      return Optional.of(p.draft.status.getWriteAhead());
    }
    Optional<WriteAheadRecord> firstCreate = Finalizer.createRecord(p);
    if (firstCreate.isPresent()) {
      return firstCreate;
    }
    if (p.draft.status.getDeploymentId() == null) {
      Instant intent = Ownership.intentOf(p.resource);
      if (intent != null) {
        return Optional.of(new WriteAheadRecord(CREATE, null, null, null, null, intent.toString(),
            intent.toString()));
      }
    }
    return Optional.empty();
  }

  /** True when a remote object made at {@code createdAt} may be this record's write. */
  boolean inWindow(WriteAheadRecord record, Instant createdAt) {
    if (createdAt == null) {
      return false;
    }
    return !createdAt.isBefore(first(record).minus(skew)) && !createdAt.isAfter(windowEnd(record));
  }

  Instant windowStart(WriteAheadRecord record) {
    return first(record).minus(skew);
  }

  /** Until then the last attempt may still be in flight (or commit late): look up, never send. */
  Instant windowEnd(WriteAheadRecord record) {
    return last(record).plus(requestTimeout).plus(skew);
  }

  /**
   * True while the last attempt went out without an answer less than a request timeout (plus a
   * second) ago: it may still commit, so nothing is sent again, only looked up.
   */
  static boolean mayBeInFlight(WriteAheadRecord record, Instant now) {
    return record.getInFlightUntil() != null && now.isBefore(parse(record.getInFlightUntil()));
  }

  static Instant inFlightUntil(WriteAheadRecord record) {
    return parse(record.getInFlightUntil());
  }

  /** The call was answered (an error status): the write is no longer in flight, its outcome still open. */
  static void answered(ReconcilePass p) {
    if (p.draft.status.getWriteAhead() != null) {
      p.draft.status.getWriteAhead().setInFlightUntil(null);
    }
  }

  /**
   * The record for a write about to be sent: a retry of the same write (same operation, target
   * and desired state) keeps the first attempt and the nonce.
   */
  WriteAheadRecord next(Optional<WriteAheadRecord> open, String operation, String target, String hash,
      String account, Instant now) {
    Optional<WriteAheadRecord> same = open.filter(r -> operation.equals(r.getOperation())
        && Objects.equals(target, r.getTarget()) && Objects.equals(hash, r.getDesiredStateHash())
        && Objects.equals(account, r.getAccount()) && r.getNonce() != null);
    byte[] nonce = new byte[8];
    RANDOM.nextBytes(nonce);
    WriteAheadRecord record = new WriteAheadRecord(operation, target, same.map(WriteAheadRecord::getNonce)
        .orElse(HexFormat.of().formatHex(nonce)), hash, account,
        same.map(WriteAheadRecord::getFirstAttempt).orElse(now.toString()), now.toString());
    record.setInFlightUntil(now.plus(requestTimeout).plusSeconds(1).toString());
    return record;
  }

  /**
   * Writes the record before the call, with the resourceVersion read. A resource's first create
   * (no finalizer yet, nothing owned) writes it with the finalizer in one request; any other
   * write puts it in status, after making sure the finalizer is there.
   */
  static void persist(ReconcilePass p, WriteAheadRecord record) {
    CallScope.prepayNextCall(); // the write's token first: no record of a call the rate limit then refuses
    p.draft.status.setWriteAhead(record);
    if (CREATE.equals(record.getOperation()) && !Finalizer.present(p.resource) && owningNothing(p)) {
      Finalizer.addWithCreateRecord(p, record);
      return;
    }
    Finalizer.ensure(p);
    StatusWriter.writeLocked(p);
  }

  /** The outcome is known: the status write that records it clears the record. */
  static void retire(ReconcilePass p) {
    p.draft.status.setWriteAhead(null);
  }

  /**
   * A create refused for good leaves nothing owned to record, so the status write cannot retire
   * a record kept in the annotation: it is removed (a write on the refusal path only).
   */
  static void retireRefused(ReconcilePass p) {
    retire(p);
    Finalizer.dropCreateRecord(p);
  }

  private static boolean owningNothing(ReconcilePass p) {
    var status = p.draft.status;
    return status.getDeploymentId() == null && (status.getHistory() == null || status.getHistory().isEmpty());
  }

  private static Instant first(WriteAheadRecord record) {
    return parse(record.getFirstAttempt());
  }

  private static Instant last(WriteAheadRecord record) {
    return parse(record.getLastAttempt() != null ? record.getLastAttempt() : record.getFirstAttempt());
  }

  private static Instant parse(String value) {
    try {
      return Instant.parse(value);
    } catch (RuntimeException unparseable) {
      // A record edited by hand: treat it as made long ago, so it proves nothing.
      return Instant.EPOCH;
    }
  }
}

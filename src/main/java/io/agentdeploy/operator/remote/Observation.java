package io.agentdeploy.operator.remote;

import java.time.Instant;
import java.util.List;

/**
 * What the remote says about one deployment, compared with the desired state
 * (the crossplane "Observe" answer: exists, up to date, and how the rollout goes).
 *
 * @param exists false when the deployment is gone (confirmed not-found, or a terminal deleted state)
 * @param absence how certain a not-found is (PRESENT when it exists)
 * @param deleting the remote is tearing the deployment down (soft-deleted, not yet gone)
 * @param expired gone because it was a preview whose expiry passed (not to be recreated)
 * @param drift names of comparable fields whose remote value differs from the desired one
 * @param rollout newest revision state, null when absent
 * @param expiresAt when a preview expires, or null
 * @param events what the remote reports about the deployment, oldest first
 * @param remoteAccount the account the remote names in its answer (Agentex account_id), or null
 * @param nonce the write-ahead nonce the remote object carries (Agentex), or null
 * @param driftedValues the remote's values of the {@code drift} fields, only to be hashed (never printed)
 * @param content how far the remote's record shows the desired state, from a provider whose records
 *     never change after they are made (Agentex): looked at once, when a deployment is adopted, since
 *     a record this resource made holds what it sent
 */
public record Observation(boolean exists, Absence absence, boolean deleting, boolean expired, String deploymentId,
    Instant createdAt, List<String> drift, Rollout rollout, String url, Instant expiresAt, List<RemoteEvent> events,
    String remoteAccount, String nonce, DriftedValues driftedValues, ContentCheck content) {

  /** An observation of a provider whose drift covers its whole content (nothing left unproven). */
  public Observation(boolean exists, Absence absence, boolean deleting, boolean expired, String deploymentId,
      Instant createdAt, List<String> drift, Rollout rollout, String url, Instant expiresAt, List<RemoteEvent> events,
      String remoteAccount, String nonce, DriftedValues driftedValues) {
    this(exists, absence, deleting, expired, deploymentId, createdAt, drift, rollout, url, expiresAt, events,
        remoteAccount, nonce, driftedValues, ContentCheck.NONE);
  }

  /** An observation whose provider keeps no drifted values (none to hash). */
  public Observation(boolean exists, Absence absence, boolean deleting, boolean expired, String deploymentId,
      Instant createdAt, List<String> drift, Rollout rollout, String url, Instant expiresAt, List<RemoteEvent> events,
      String remoteAccount, String nonce) {
    this(exists, absence, deleting, expired, deploymentId, createdAt, drift, rollout, url, expiresAt, events,
        remoteAccount, nonce, DriftedValues.NONE);
  }

  /** How sure the client is that a deployment is not there. */
  public enum Absence {
    /** It exists (or exists in a terminal state the provider counts as gone; see {@code exists}). */
    PRESENT,
    /** The API's own not-found, and a second read (a list) agreed: it is gone. */
    CONFIRMED,
    /**
     * The API's own not-found and a list agreed once, but the provider's rule wants a second
     * single read later (at least one poll interval) before it counts as gone.
     */
    RECHECK
  }

  public static Observation absent(String deploymentId, Absence absence) {
    return new Observation(false, absence, false, false, deploymentId, null, List.of(), null, null, null, List.of(),
        null, null);
  }

  /** This observation with the content check another piece of evidence settled. */
  public Observation withContent(ContentCheck settled) {
    return new Observation(exists, absence, deleting, expired, deploymentId, createdAt, drift, rollout, url, expiresAt,
        events, remoteAccount, nonce, driftedValues, settled);
  }

  public boolean upToDate() {
    return drift.isEmpty();
  }
}

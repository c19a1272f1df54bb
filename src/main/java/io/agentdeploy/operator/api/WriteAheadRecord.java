package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * A remote write the operator is about to send or has sent without knowing the outcome; written
 * (with the resource's resourceVersion) before the call, cleared by the status write that records
 * the outcome. While present, a lost answer can be recognised: only a remote object made inside
 * its time window (and, where the remote echoes free text, carrying its nonce) is this write's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WriteAheadRecord {
  @JsonPropertyDescription("The write: Create (a new remote deployment or Agentex deploy) or Update (a PATCH).")
  private String operation;

  @JsonPropertyDescription("What the write is about: the remote name for a create, the deployment id for an update.")
  private String target;

  @JsonPropertyDescription("Random token of this write; Agentex deploys carry it as a comment in environment_config.")
  private String nonce;

  @JsonPropertyDescription("Keyed hash of the desired state the write carries (see the status' hashScheme).")
  private String desiredStateHash;

  @JsonPropertyDescription("The remote account the write goes to.")
  private String account;

  @JsonPropertyDescription("When the write was first attempted (RFC 3339); kept by retries of the same write.")
  private String firstAttempt;

  @JsonPropertyDescription("When the write was last attempted (RFC 3339).")
  private String lastAttempt;

  @JsonPropertyDescription("Until when the last attempt may still be in flight (RFC 3339): sent without an answer. "
      + "Until then nothing is sent again, only looked up. Empty once an answer arrived.")
  private String inFlightUntil;

  public WriteAheadRecord() {}

  public WriteAheadRecord(String operation, String target, String nonce, String desiredStateHash, String account,
      String firstAttempt, String lastAttempt) {
    this.operation = operation;
    this.target = target;
    this.nonce = nonce;
    this.desiredStateHash = desiredStateHash;
    this.account = account;
    this.firstAttempt = firstAttempt;
    this.lastAttempt = lastAttempt;
  }

  public String getOperation() { return operation; }
  public void setOperation(String operation) { this.operation = operation; }
  public String getTarget() { return target; }
  public void setTarget(String target) { this.target = target; }
  public String getNonce() { return nonce; }
  public void setNonce(String nonce) { this.nonce = nonce; }
  public String getDesiredStateHash() { return desiredStateHash; }
  public void setDesiredStateHash(String desiredStateHash) { this.desiredStateHash = desiredStateHash; }
  public String getAccount() { return account; }
  public void setAccount(String account) { this.account = account; }
  public String getFirstAttempt() { return firstAttempt; }
  public void setFirstAttempt(String firstAttempt) { this.firstAttempt = firstAttempt; }
  public String getLastAttempt() { return lastAttempt; }
  public String getInFlightUntil() { return inFlightUntil; }
  public void setInFlightUntil(String inFlightUntil) { this.inFlightUntil = inFlightUntil; }
  public void setLastAttempt(String lastAttempt) { this.lastAttempt = lastAttempt; }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriteAheadRecord r && Objects.equals(operation, r.operation) && Objects.equals(target, r.target)
        && Objects.equals(nonce, r.nonce) && Objects.equals(desiredStateHash, r.desiredStateHash)
        && Objects.equals(account, r.account) && Objects.equals(firstAttempt, r.firstAttempt)
        && Objects.equals(lastAttempt, r.lastAttempt) && Objects.equals(inFlightUntil, r.inFlightUntil);
  }

  @Override
  public int hashCode() {
    return Objects.hash(operation, target, nonce, desiredStateHash, account, firstAttempt, lastAttempt, inFlightUntil);
  }
}

package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentDeploymentStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Summary for humans: Pending, Creating, Deploying, Ready, Failed, Error, Paused, Expired, Deleting.")
  private String phase;

  @JsonPropertyDescription("Ready: the rollout is live and matches the current generation. Synced: the last attempt "
      + "to apply the spec to the remote succeeded, or why not.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Id of the remote deployment.")
  private String deploymentId;

  @JsonPropertyDescription("Id of the newest remote revision (it may still be rolling out).")
  private String latestRevisionId;

  @JsonPropertyDescription("Id of the remote revision currently serving.")
  private String activeRevisionId;

  @JsonPropertyDescription("Remote status of the newest revision, e.g. BUILDING, DEPLOYED, BUILD_FAILED.")
  private String revisionStatus;

  @JsonPropertyDescription("URL of the deployment when the remote reports one.")
  private String url;

  @JsonPropertyDescription("Keyed hash (HMAC under the operator's own key, see hashScheme and hashKeyId) of the "
      + "desired state (spec and referenced Secret values) last applied to the remote.")
  private String desiredStateHash;

  @JsonPropertyDescription("Keyed hash of a desired state the remote rejected as invalid; it is not sent again until "
      + "the spec or a referenced Secret changes.")
  private String rejectedStateHash;

  @JsonPropertyDescription("How every hash in this status was made: hmac-sha256 (keyed with the operator's hash key). "
      + "Empty in a status written by an older version, whose plain hashes are verified once and rewritten.")
  private String hashScheme;

  @JsonPropertyDescription("Id of the operator's hash key the hashes in this status were made with (not the key). If "
      + "the operator now holds another key, nothing can be compared: the condition Synced says HashKeyChanged.")
  private String hashKeyId;

  @JsonPropertyDescription("The value of the agentdeploy.io/reconcile-requested-at annotation the operator last "
      + "acted on: equal to the annotation once the requested reconcile has run.")
  private String reconcileRequestHandled;

  @JsonPropertyDescription("Deprecated, read once for upgrades: Agentex deploy ids now live in history.")
  private List<String> deployIds;

  @JsonPropertyDescription("The remote account the deployment lives in: the normalised base URL and the tenant or "
      + "account id (or a fingerprint of the API key when neither is set), as ControlPlaneChanged messages print it.")
  private String account;

  @JsonPropertyDescription("The account id the remote names in its answers (Agentex account_id), when it does.")
  private String remoteAccount;

  @JsonPropertyDescription("Fingerprint of the ControlPlane settings and key under which the deployment was last read "
      + "successfully; after a change, not-found means the account changed, not that the deployment was deleted.")
  private String accountSettings;

  @JsonPropertyDescription("Remote deployments left in an earlier account when the ControlPlane moved and the move "
      + "was accepted (id, then the account in parentheses); the operator no longer manages them.")
  private List<String> orphaned;

  @JsonPropertyDescription("A remote write sent or about to be sent whose outcome is not recorded yet; see the "
      + "README's ownership rules.")
  private WriteAheadRecord writeAhead;

  @JsonPropertyDescription("The rollouts (LangSmith revisions, Agentex deploys) this resource made, oldest first; "
      + "bounded, never dropping one that may still run.")
  private List<HistoryEntry> history;

  @JsonPropertyDescription("Agentex previews: when the current preview expires (RFC 3339).")
  private String expiresAt;

  @JsonPropertyDescription("The newest remote event already reported as a Kubernetes Event (time|reason), so "
      + "restarts and leader changes do not report it again.")
  private String lastRemoteEvent;

  @JsonPropertyDescription("When the rollout of the newest revision started (RFC 3339); used for the progress deadline.")
  private String rolloutStartedAt;

  @JsonPropertyDescription("The drift guard: drift a PATCH corrected, being checked, or found unresolvable (the remote "
      + "keeps changing the same fields back); absent when nothing drifts.")
  private DriftGuardRecord driftGuard;

  /** A deep enough copy to edit without touching the cached resource. */
  public AgentDeploymentStatus copy() {
    AgentDeploymentStatus c = new AgentDeploymentStatus();
    c.observedGeneration = observedGeneration;
    c.phase = phase;
    c.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
    c.deploymentId = deploymentId;
    c.latestRevisionId = latestRevisionId;
    c.activeRevisionId = activeRevisionId;
    c.revisionStatus = revisionStatus;
    c.url = url;
    c.desiredStateHash = desiredStateHash;
    c.rejectedStateHash = rejectedStateHash;
    c.hashScheme = hashScheme;
    c.hashKeyId = hashKeyId;
    c.rolloutStartedAt = rolloutStartedAt;
    c.reconcileRequestHandled = reconcileRequestHandled;
    c.deployIds = deployIds == null ? null : new ArrayList<>(deployIds);
    c.expiresAt = expiresAt;
    c.lastRemoteEvent = lastRemoteEvent;
    c.account = account;
    c.remoteAccount = remoteAccount;
    c.accountSettings = accountSettings;
    c.orphaned = orphaned == null ? null : new ArrayList<>(orphaned);
    c.writeAhead = writeAhead == null ? null : new WriteAheadRecord(writeAhead.getOperation(), writeAhead.getTarget(),
        writeAhead.getNonce(), writeAhead.getDesiredStateHash(), writeAhead.getAccount(), writeAhead.getFirstAttempt(),
        writeAhead.getLastAttempt());
    if (c.writeAhead != null) {
      c.writeAhead.setInFlightUntil(writeAhead.getInFlightUntil());
    }
    c.history = history == null ? null : new ArrayList<>(history.stream().map(HistoryEntry::copy).toList());
    c.driftGuard = driftGuard == null ? null : driftGuard.copy();
    return c;
  }

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getPhase() { return phase; }
  public void setPhase(String phase) { this.phase = phase; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getDeploymentId() { return deploymentId; }
  public void setDeploymentId(String deploymentId) { this.deploymentId = deploymentId; }
  public String getLatestRevisionId() { return latestRevisionId; }
  public void setLatestRevisionId(String latestRevisionId) { this.latestRevisionId = latestRevisionId; }
  public String getActiveRevisionId() { return activeRevisionId; }
  public void setActiveRevisionId(String activeRevisionId) { this.activeRevisionId = activeRevisionId; }
  public String getRevisionStatus() { return revisionStatus; }
  public void setRevisionStatus(String revisionStatus) { this.revisionStatus = revisionStatus; }
  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public String getDesiredStateHash() { return desiredStateHash; }
  public void setDesiredStateHash(String desiredStateHash) { this.desiredStateHash = desiredStateHash; }
  public String getRejectedStateHash() { return rejectedStateHash; }
  public void setRejectedStateHash(String rejectedStateHash) { this.rejectedStateHash = rejectedStateHash; }
  public String getHashScheme() { return hashScheme; }
  public void setHashScheme(String hashScheme) { this.hashScheme = hashScheme; }
  public String getHashKeyId() { return hashKeyId; }
  public void setHashKeyId(String hashKeyId) { this.hashKeyId = hashKeyId; }
  public List<String> getDeployIds() { return deployIds; }
  public void setDeployIds(List<String> deployIds) { this.deployIds = deployIds; }
  public String getAccount() { return account; }
  public void setAccount(String account) { this.account = account; }
  public String getRemoteAccount() { return remoteAccount; }
  public void setRemoteAccount(String remoteAccount) { this.remoteAccount = remoteAccount; }
  public String getAccountSettings() { return accountSettings; }
  public void setAccountSettings(String accountSettings) { this.accountSettings = accountSettings; }
  public List<String> getOrphaned() { return orphaned; }
  public void setOrphaned(List<String> orphaned) { this.orphaned = orphaned; }
  public WriteAheadRecord getWriteAhead() { return writeAhead; }
  public void setWriteAhead(WriteAheadRecord writeAhead) { this.writeAhead = writeAhead; }
  public List<HistoryEntry> getHistory() { return history; }
  public void setHistory(List<HistoryEntry> history) { this.history = history; }
  public String getExpiresAt() { return expiresAt; }
  public void setExpiresAt(String expiresAt) { this.expiresAt = expiresAt; }
  public String getLastRemoteEvent() { return lastRemoteEvent; }
  public void setLastRemoteEvent(String lastRemoteEvent) { this.lastRemoteEvent = lastRemoteEvent; }
  public String getReconcileRequestHandled() { return reconcileRequestHandled; }
  public void setReconcileRequestHandled(String value) { this.reconcileRequestHandled = value; }
  public String getRolloutStartedAt() { return rolloutStartedAt; }
  public void setRolloutStartedAt(String rolloutStartedAt) { this.rolloutStartedAt = rolloutStartedAt; }
  public DriftGuardRecord getDriftGuard() { return driftGuard; }
  public void setDriftGuard(DriftGuardRecord driftGuard) { this.driftGuard = driftGuard; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AgentDeploymentStatus s)) {
      return false;
    }
    return Objects.equals(observedGeneration, s.observedGeneration) && Objects.equals(phase, s.phase)
        && Objects.equals(conditions, s.conditions) && Objects.equals(deploymentId, s.deploymentId)
        && Objects.equals(latestRevisionId, s.latestRevisionId) && Objects.equals(activeRevisionId, s.activeRevisionId)
        && Objects.equals(revisionStatus, s.revisionStatus) && Objects.equals(url, s.url)
        && Objects.equals(desiredStateHash, s.desiredStateHash)
        && Objects.equals(rejectedStateHash, s.rejectedStateHash)
        && Objects.equals(hashScheme, s.hashScheme) && Objects.equals(hashKeyId, s.hashKeyId)
        && Objects.equals(reconcileRequestHandled, s.reconcileRequestHandled)
        && Objects.equals(deployIds, s.deployIds) && Objects.equals(expiresAt, s.expiresAt)
        && Objects.equals(lastRemoteEvent, s.lastRemoteEvent) && Objects.equals(rolloutStartedAt, s.rolloutStartedAt)
        && Objects.equals(account, s.account) && Objects.equals(remoteAccount, s.remoteAccount)
        && Objects.equals(accountSettings, s.accountSettings) && Objects.equals(orphaned, s.orphaned)
        && Objects.equals(writeAhead, s.writeAhead) && Objects.equals(history, s.history)
        && Objects.equals(driftGuard, s.driftGuard);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, conditions, deploymentId, latestRevisionId, activeRevisionId,
        revisionStatus, url, desiredStateHash, rejectedStateHash, hashScheme, hashKeyId, rolloutStartedAt, reconcileRequestHandled, deployIds, expiresAt, lastRemoteEvent, account, remoteAccount, accountSettings, orphaned, writeAhead, history,
        driftGuard);
  }
}

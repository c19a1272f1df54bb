package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/**
 * What the drift guard remembers between passes: after a PATCH that corrected drift, which fields
 * it corrected (Checking); once the same fields still drift right after it, that correcting them
 * is pointless (Unresolvable) until the spec, the remote's values or reconcile-requested-at change.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DriftGuardRecord {
  public static final String CHECKING = "Checking";
  public static final String UNRESOLVABLE = "Unresolvable";

  @JsonPropertyDescription("Checking: a PATCH corrected drift, the next observation tells whether it held. "
      + "Unresolvable: the same fields still drifted right after it; drift is not patched again until the spec, "
      + "the remote's values of these fields or the reconcile-requested-at annotation change.")
  private String state;

  @JsonPropertyDescription("The remote fields concerned, e.g. source_revision_config.image_uri.")
  private List<String> fields;

  @JsonPropertyDescription("Checking: the revision the correcting PATCH made.")
  private String revision;

  @JsonPropertyDescription("Unresolvable: keyed hash (see the status' hashScheme) of the remote's values of these "
      + "fields; the values themselves are never stored.")
  private String remoteHash;

  @JsonPropertyDescription("Keyed hash of the desired state the guard applies to; a spec change re-arms it.")
  private String desiredStateHash;

  @JsonPropertyDescription("The reconcile-requested-at annotation value when the guard tripped; a new value re-arms it.")
  private String reconcileRequestedAt;

  public DriftGuardRecord() {}

  public DriftGuardRecord(String state, List<String> fields, String revision, String remoteHash,
      String desiredStateHash, String reconcileRequestedAt) {
    this.state = state;
    this.fields = fields == null ? null : List.copyOf(fields);
    this.revision = revision;
    this.remoteHash = remoteHash;
    this.desiredStateHash = desiredStateHash;
    this.reconcileRequestedAt = reconcileRequestedAt;
  }

  public DriftGuardRecord copy() {
    return new DriftGuardRecord(state, fields, revision, remoteHash, desiredStateHash, reconcileRequestedAt);
  }

  public String getState() { return state; }
  public void setState(String state) { this.state = state; }
  public List<String> getFields() { return fields; }
  public void setFields(List<String> fields) { this.fields = fields; }
  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getRemoteHash() { return remoteHash; }
  public void setRemoteHash(String remoteHash) { this.remoteHash = remoteHash; }
  public String getDesiredStateHash() { return desiredStateHash; }
  public void setDesiredStateHash(String desiredStateHash) { this.desiredStateHash = desiredStateHash; }
  public String getReconcileRequestedAt() { return reconcileRequestedAt; }
  public void setReconcileRequestedAt(String reconcileRequestedAt) { this.reconcileRequestedAt = reconcileRequestedAt; }

  @Override
  public boolean equals(Object o) {
    return o instanceof DriftGuardRecord r && Objects.equals(state, r.state) && Objects.equals(fields, r.fields)
        && Objects.equals(revision, r.revision) && Objects.equals(remoteHash, r.remoteHash)
        && Objects.equals(desiredStateHash, r.desiredStateHash)
        && Objects.equals(reconcileRequestedAt, r.reconcileRequestedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, fields, revision, remoteHash, desiredStateHash, reconcileRequestedAt);
  }
}

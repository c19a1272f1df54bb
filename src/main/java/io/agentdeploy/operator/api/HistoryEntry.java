package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One rollout this resource made: a LangSmith revision or an Agentex deploy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryEntry {
  @JsonPropertyDescription("Remote id: the LangSmith revision id or the Agentex deploy id.")
  private String id;

  @JsonPropertyDescription("Keyed hash of the desired state it rolled out (see the status' hashScheme); empty when "
      + "it could not be verified after an upgrade or a key change, so it is never redeployed.")
  private String desiredStateHash;

  @JsonPropertyDescription("Its last known remote status (e.g. DEPLOYED, BUILD_FAILED, COMPLETED, SUPERSEDED, DELETED); "
      + "empty while unknown.")
  private String outcome;

  @JsonPropertyDescription("When it was made (RFC 3339).")
  private String time;

  @JsonPropertyDescription("True while it may still run something on the remote (not in a terminal state).")
  private Boolean live;

  @JsonPropertyDescription("LangSmith: keyed hash of the deployment-level state (env, resource spec) it was rolled "
      + "out with; a revert to its source is a redeploy only when that part is unchanged.")
  private String deploymentHash;

  @JsonPropertyDescription("True once it was live (deployed and serving) at least once.")
  private Boolean deployed;

  public HistoryEntry() {}

  public HistoryEntry(String id, String desiredStateHash, String outcome, String time, Boolean live) {
    this.id = id;
    this.desiredStateHash = desiredStateHash;
    this.outcome = outcome;
    this.time = time;
    this.live = live;
  }

  public HistoryEntry copy() {
    HistoryEntry c = new HistoryEntry(id, desiredStateHash, outcome, time, live);
    c.deploymentHash = deploymentHash;
    c.deployed = deployed;
    return c;
  }

  public String getId() { return id; }
  public void setId(String id) { this.id = id; }
  public String getDesiredStateHash() { return desiredStateHash; }
  public void setDesiredStateHash(String desiredStateHash) { this.desiredStateHash = desiredStateHash; }
  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
  public String getTime() { return time; }
  public void setTime(String time) { this.time = time; }
  public Boolean getLive() { return live; }
  public void setLive(Boolean live) { this.live = live; }

  public String getDeploymentHash() { return deploymentHash; }
  public void setDeploymentHash(String deploymentHash) { this.deploymentHash = deploymentHash; }
  public Boolean getDeployed() { return deployed; }
  public void setDeployed(Boolean deployed) { this.deployed = deployed; }

  public boolean isLive() {
    return !Boolean.FALSE.equals(live);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistoryEntry e && Objects.equals(id, e.id) && Objects.equals(desiredStateHash, e.desiredStateHash)
        && Objects.equals(outcome, e.outcome) && Objects.equals(time, e.time) && Objects.equals(live, e.live)
        && Objects.equals(deploymentHash, e.deploymentHash) && Objects.equals(deployed, e.deployed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, desiredStateHash, outcome, time, live, deploymentHash, deployed);
  }
}

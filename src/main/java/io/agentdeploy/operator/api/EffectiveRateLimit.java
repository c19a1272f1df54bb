package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The client-side limit the operator applies to a control plane's account, shared by every ControlPlane on it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EffectiveRateLimit {
  @JsonPropertyDescription("Sustained requests per second the operator sends to this account (the lowest any "
      + "ControlPlane on the account asks for).")
  private Double requestsPerSecond;

  @JsonPropertyDescription("Requests that may be sent at once after a quiet period (the lowest asked for).")
  private Integer burst;

  @JsonPropertyDescription("The ControlPlane whose spec.rateLimit set requestsPerSecond: <namespace>/<name>, or "
      + "<name> for a ClusterControlPlane.")
  private String setBy;

  public EffectiveRateLimit() {}

  public EffectiveRateLimit(Double requestsPerSecond, Integer burst, String setBy) {
    this.requestsPerSecond = requestsPerSecond;
    this.burst = burst;
    this.setBy = setBy;
  }

  public Double getRequestsPerSecond() { return requestsPerSecond; }
  public void setRequestsPerSecond(Double requestsPerSecond) { this.requestsPerSecond = requestsPerSecond; }
  public Integer getBurst() { return burst; }
  public void setBurst(Integer burst) { this.burst = burst; }
  public String getSetBy() { return setBy; }
  public void setSetBy(String setBy) { this.setBy = setBy; }

  @Override
  public boolean equals(Object o) {
    return o instanceof EffectiveRateLimit l && Objects.equals(requestsPerSecond, l.requestsPerSecond)
        && Objects.equals(burst, l.burst) && Objects.equals(setBy, l.setBy);
  }

  @Override
  public int hashCode() { return Objects.hash(requestsPerSecond, burst, setBy); }
}

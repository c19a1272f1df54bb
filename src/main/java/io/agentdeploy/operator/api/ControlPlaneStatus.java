package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of a ControlPlane. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControlPlaneStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready: the API key was found and the API answered an authenticated read (False only for what a "
      + "person must fix). Reachable: how the last check went on the network (transient trouble).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The client-side rate limit applied to this control plane's account, shared with every "
      + "ControlPlane on the same account (the lowest asks wins), and which one set it.")
  private EffectiveRateLimit rateLimit;

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public EffectiveRateLimit getRateLimit() { return rateLimit; }
  public void setRateLimit(EffectiveRateLimit rateLimit) { this.rateLimit = rateLimit; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlPlaneStatus s && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions) && Objects.equals(rateLimit, s.rateLimit);
  }

  @Override
  public int hashCode() { return Objects.hash(observedGeneration, conditions, rateLimit); }
}

package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** A token bucket: a steady rate with a burst allowance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimit {
  @Min(0.01)
  @Max(1000)
  @JsonPropertyDescription("Sustained requests per second to this account.")
  private Double requestsPerSecond;

  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Requests that may be sent at once after a quiet period.")
  private Integer burst;

  public Double getRequestsPerSecond() { return requestsPerSecond; }
  public void setRequestsPerSecond(Double requestsPerSecond) { this.requestsPerSecond = requestsPerSecond; }
  public Integer getBurst() { return burst; }
  public void setBurst(Integer burst) { this.burst = burst; }
}

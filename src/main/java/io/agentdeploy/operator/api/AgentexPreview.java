package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** Preview settings of an Agentex deployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentexPreview {
  @Size(max = 64)
  @JsonPropertyDescription("Grouping label, e.g. a branch or PR number (normalised by the remote to lowercase "
      + "letters, digits and hyphens, at most 30 characters).")
  private String label;

  @JsonPropertyDescription("When the preview expires (RFC 3339). Default: 8 hours after the deploy. After it the "
      + "resource reports phase Expired and is not deployed again until the spec changes.")
  private String expiresAt;

  public String getLabel() { return label; }
  public void setLabel(String label) { this.label = label; }
  public String getExpiresAt() { return expiresAt; }
  public void setExpiresAt(String expiresAt) { this.expiresAt = expiresAt; }
}

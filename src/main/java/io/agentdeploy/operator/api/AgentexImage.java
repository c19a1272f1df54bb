package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An agent image by name and tag. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentexImage {
  @Required
  @Size(min = 1, max = 512)
  @JsonPropertyDescription("Image name (repository).")
  private String name;

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("Image tag.")
  private String tag;

  public AgentexImage() {}

  public AgentexImage(String name, String tag) {
    this.name = name;
    this.tag = tag;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getTag() { return tag; }
  public void setTag(String tag) { this.tag = tag; }
}

package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The name of an object in the same namespace (Kubernetes' LocalObjectReference). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectName {
  @Required
  @JsonPropertyDescription("Name of the object.")
  private String name;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}

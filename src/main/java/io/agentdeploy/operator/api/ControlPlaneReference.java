package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Reference to a ControlPlane in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControlPlaneReference {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the ControlPlane in the same namespace.")
  private String name;

  public ControlPlaneReference() {}

  public ControlPlaneReference(String name) { this.name = name; }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlPlaneReference other && Objects.equals(name, other.name);
  }

  @Override
  public int hashCode() { return Objects.hashCode(name); }
}

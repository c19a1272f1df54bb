package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Reference to a ControlPlane in the same namespace, or to a ClusterControlPlane. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControlPlaneReference {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the ControlPlane in the same namespace, or of the ClusterControlPlane.")
  private String name;

  @JsonPropertyDescription("ControlPlane (the default when absent) or ClusterControlPlane.")
  private ControlPlaneKind kind;

  public ControlPlaneReference() {}

  public ControlPlaneReference(String name) { this.name = name; }

  public ControlPlaneReference(String name, ControlPlaneKind kind) {
    this.name = name;
    this.kind = kind;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public ControlPlaneKind getKind() { return kind; }
  public void setKind(ControlPlaneKind kind) { this.kind = kind; }

  /** The kind this reference means: absent is a namespaced ControlPlane. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public ControlPlaneKind kindOrDefault() {
    return kind == null ? ControlPlaneKind.ControlPlane : kind;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlPlaneReference other && Objects.equals(name, other.name) && kind == other.kind;
  }

  @Override
  public int hashCode() { return Objects.hash(name, kind); }
}

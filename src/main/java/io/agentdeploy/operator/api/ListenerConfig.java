package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Listener placement of a LangSmith external_docker deployment (API: listener_config). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ListenerConfig {
  @Size(max = 63)
  @JsonPropertyDescription("Target Kubernetes namespace on the listener's cluster. Immutable.")
  private String k8sNamespace;

  public String getK8sNamespace() { return k8sNamespace; }
  public void setK8sNamespace(String k8sNamespace) { this.k8sNamespace = k8sNamespace; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ListenerConfig other && Objects.equals(k8sNamespace, other.k8sNamespace);
  }

  @Override
  public int hashCode() { return Objects.hashCode(k8sNamespace); }
}

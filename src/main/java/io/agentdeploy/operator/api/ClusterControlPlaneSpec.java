package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * A control plane shared by namespaces: the ControlPlane's settings, with the API-key Secret in the
 * operator's namespace, and the namespaces allowed to use it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterControlPlaneSpec extends ControlPlaneSpec {
  @Required
  @JsonPropertyDescription("The namespaces whose AgentDeployments may use this control plane (names and/or a label "
      + "selector). Nothing is sent for an AgentDeployment of any other namespace.")
  private NamespaceAllowList allowedNamespaces;

  public NamespaceAllowList getAllowedNamespaces() { return allowedNamespaces; }
  public void setAllowedNamespaces(NamespaceAllowList allowedNamespaces) { this.allowedNamespaces = allowedNamespaces; }
}

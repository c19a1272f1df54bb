package io.agentdeploy.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A remote control plane shared by the namespaces it allows; its API key lives in the operator's namespace. */
@Group(AgentDeployment.GROUP)
@Version(AgentDeployment.VERSION)
@Kind("ClusterControlPlane")
@Plural("clustercontrolplanes")
@Singular("clustercontrolplane")
@Categories("agents")
// Printer columns in the order kubectl prints them (the build keeps this order, see src/build/java):
// why a control plane is not ready is in the default view; the base URL only with -o wide.
@AdditionalPrinterColumn(name = "Provider", jsonPath = ".spec.provider", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.baseUrl",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@com.fasterxml.jackson.annotation.JsonClassDescription(
    "A cluster-scoped control plane for platform teams: its API key lives in the operator's namespace and "
    + "spec.allowedNamespaces says which namespaces' AgentDeployments may use it.")
public class ClusterControlPlane extends CustomResource<ClusterControlPlaneSpec, ControlPlaneStatus> {
  // Overridden only to carry the descriptions kubectl explain shows for .spec and .status.
  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Where a remote control plane is, which Secret of the operator's namespace holds its API key, and which namespaces may use it.")
  public ClusterControlPlaneSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Observed state of the control plane connection, written only by the operator.")
  public ControlPlaneStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected ControlPlaneStatus initStatus() {
    return new ControlPlaneStatus();
  }
}

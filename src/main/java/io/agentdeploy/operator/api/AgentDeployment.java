package io.agentdeploy.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** The desired state of one agent deployment on a remote control plane. */
@Group(AgentDeployment.GROUP)
@Version(AgentDeployment.VERSION)
@Kind("AgentDeployment")
@Plural("agentdeployments")
@Singular("agentdeployment")
@ShortNames("agd")
@Categories("agents")
// Printer columns in the order kubectl prints them (the build keeps this order, see src/build/java):
// NAME READY PHASE AGE by default, as for built-in kinds; the long ids and the URL only with -o wide.
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.latestRevisionId",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Revision-Status", jsonPath = ".status.revisionStatus",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.url",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@com.fasterxml.jackson.annotation.JsonClassDescription(
    "The desired state of one AI agent deployment on a remote control plane (LangSmith or Agentex). "
    + "The operator creates, updates, follows and deletes the remote deployment and reports it in status.")
public class AgentDeployment extends CustomResource<AgentDeploymentSpec, AgentDeploymentStatus> implements Namespaced {
  public static final String GROUP = "agentdeploy.io";
  public static final String VERSION = "v1alpha1";

  // Overridden only to carry the descriptions kubectl explain shows for .spec and .status.
  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Desired state of one agent deployment on a remote control plane. The operator never writes it.")
  public AgentDeploymentSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Observed state, written only by the operator.")
  public AgentDeploymentStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected AgentDeploymentStatus initStatus() {
    return new AgentDeploymentStatus();
  }
}

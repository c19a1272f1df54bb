package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Desired state of an AgentDeployment. The operator never writes to it: defaults live in code
 * (and are documented), not in the stored object, so GitOps tools see exactly what they applied.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.langsmith) != has(self.agentex)",
    message = "exactly one provider block is required: set spec.langsmith or spec.agentex")
@ValidationRule(value = "has(self.langsmith) == has(oldSelf.langsmith) && has(self.agentex) == has(oldSelf.agentex)",
    message = "the provider block cannot change kind after creation: create a new AgentDeployment instead")
public class AgentDeploymentSpec {

  @Required
  // Absent kind and kind ControlPlane are the same reference: writing the default out is no move.
  @ValidationRule(value = "self.name == oldSelf.name && (has(self.kind) ? self.kind : 'ControlPlane') == "
      + "(has(oldSelf.kind) ? oldSelf.kind : 'ControlPlane')",
      message = "controlPlaneRef is immutable: moving a deployment to another control plane would orphan the first one")
  @JsonPropertyDescription("The ControlPlane (same namespace) or ClusterControlPlane that holds the remote API's URL "
      + "and credentials. Immutable.")
  private ControlPlaneReference controlPlaneRef;

  @JsonPropertyDescription("What happens to the remote deployment when this resource is deleted: Delete (default) "
      + "deletes it on the control plane; Orphan leaves it running. Changing it to Orphan while a delete is stuck "
      + "releases the resource.")
  private DeletionPolicy deletionPolicy;

  @JsonPropertyDescription("A LangSmith Deployment Control Plane (v2) deployment.")
  private LangSmithSpec langsmith;

  @JsonPropertyDescription("A Scale GP Agentex (v5 deployments API) deployment.")
  private AgentexSpec agentex;

  public AgentexSpec getAgentex() { return agentex; }
  public void setAgentex(AgentexSpec agentex) { this.agentex = agentex; }
  public ControlPlaneReference getControlPlaneRef() { return controlPlaneRef; }
  public void setControlPlaneRef(ControlPlaneReference controlPlaneRef) { this.controlPlaneRef = controlPlaneRef; }
  public DeletionPolicy getDeletionPolicy() { return deletionPolicy; }
  public void setDeletionPolicy(DeletionPolicy deletionPolicy) { this.deletionPolicy = deletionPolicy; }
  public LangSmithSpec getLangsmith() { return langsmith; }
  public void setLangsmith(LangSmithSpec langsmith) { this.langsmith = langsmith; }

  /** The policy in force: {@link DeletionPolicy#Delete} when unset. */
  public DeletionPolicy effectiveDeletionPolicy() {
    return deletionPolicy == null ? DeletionPolicy.Delete : deletionPolicy;
  }
}

package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A LangSmith deployment, mirroring the create/patch request of the Deployment Control Plane API v2
 * in Kubernetes style. Fields the remote cannot change after create are immutable here, so an
 * edit is refused by the API server instead of silently creating a second deployment. Only rules
 * the API documents are enforced in the schema; rules marked inferred stay in the operator.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Immutable optional fields: a rule on the field itself would not see it being added or removed.
@ValidationRule(value = LangSmithSpec.HAS_INTEGRATION + " == " + LangSmithSpec.OLD_HAS_INTEGRATION
    + " && (!" + LangSmithSpec.HAS_INTEGRATION + " || self.sourceConfig.integrationId == oldSelf.sourceConfig.integrationId)",
    message = "sourceConfig.integrationId is immutable (it cannot be added, removed or changed after creation)")
@ValidationRule(value = LangSmithSpec.HAS_REPO + " == " + LangSmithSpec.OLD_HAS_REPO
    + " && (!" + LangSmithSpec.HAS_REPO + " || self.sourceConfig.repoUrl == oldSelf.sourceConfig.repoUrl)",
    message = "sourceConfig.repoUrl is immutable (it cannot be added, removed or changed after creation)")
@ValidationRule(value = LangSmithSpec.HAS_TYPE + " == " + LangSmithSpec.OLD_HAS_TYPE
    + " && (!" + LangSmithSpec.HAS_TYPE + " || self.sourceConfig.deploymentType == oldSelf.sourceConfig.deploymentType)",
    message = "sourceConfig.deploymentType is immutable (it cannot be added, removed or changed after creation)")
@ValidationRule(value = LangSmithSpec.HAS_LISTENER + " == " + LangSmithSpec.OLD_HAS_LISTENER
    + " && (!" + LangSmithSpec.HAS_LISTENER + " || self.sourceConfig.listenerId == oldSelf.sourceConfig.listenerId)",
    message = "sourceConfig.listenerId is immutable (it cannot be added, removed or changed after creation)")
@ValidationRule(value = LangSmithSpec.HAS_LISTENER_CONFIG + " == " + LangSmithSpec.OLD_HAS_LISTENER_CONFIG
    + " && (!" + LangSmithSpec.HAS_LISTENER_CONFIG
    + " || self.sourceConfig.listenerConfig == oldSelf.sourceConfig.listenerConfig)",
    message = "sourceConfig.listenerConfig is immutable (it cannot be added, removed or changed after creation)")
// Per-source rules that the API reference documents.
@ValidationRule(value = "self.source != 'external_docker' || (has(self.revisionConfig) && has(self.revisionConfig.imageUri))",
    message = "revisionConfig.imageUri is required when source is external_docker")
@ValidationRule(value = "self.source != 'github' || (has(self.revisionConfig) && has(self.revisionConfig.langgraphConfigPath))",
    message = "revisionConfig.langgraphConfigPath is required when source is github")
@ValidationRule(value = "self.source != 'external_docker' || !has(self.revisionConfig) || !has(self.revisionConfig.langgraphConfigPath)",
    message = "revisionConfig.langgraphConfigPath must not be set when source is external_docker")
@ValidationRule(value = "self.source == 'github' || !has(self.sourceConfig) || (!has(self.sourceConfig.integrationId)"
    + " && !has(self.sourceConfig.repoUrl) && !has(self.sourceConfig.deploymentType) && !has(self.sourceConfig.buildOnPush))",
    message = "sourceConfig.integrationId, repoUrl, deploymentType and buildOnPush apply only when source is github")
@ValidationRule(value = "self.source == 'external_docker' || !has(self.sourceConfig) || (!has(self.sourceConfig.resourceSpec)"
    + " && !has(self.sourceConfig.listenerId) && !has(self.sourceConfig.listenerConfig) && !has(self.sourceConfig.customUrl))",
    message = "sourceConfig.resourceSpec, listenerId, listenerConfig and customUrl apply only when source is external_docker")
@ValidationRule(value = "!has(self.revisionConfig) || !has(self.revisionConfig.repoRef)"
    + " || !self.revisionConfig.repoRef.startsWith('refs/tags/')"
    + " || (has(self.sourceConfig) && has(self.sourceConfig.buildOnPush) && !self.sourceConfig.buildOnPush)",
    message = "a tag ref (refs/tags/...) in revisionConfig.repoRef requires sourceConfig.buildOnPush: false")
public class LangSmithSpec {
  static final String HAS_INTEGRATION = "(has(self.sourceConfig) && has(self.sourceConfig.integrationId))";
  static final String OLD_HAS_INTEGRATION = "(has(oldSelf.sourceConfig) && has(oldSelf.sourceConfig.integrationId))";
  static final String HAS_REPO = "(has(self.sourceConfig) && has(self.sourceConfig.repoUrl))";
  static final String OLD_HAS_REPO = "(has(oldSelf.sourceConfig) && has(oldSelf.sourceConfig.repoUrl))";
  static final String HAS_TYPE = "(has(self.sourceConfig) && has(self.sourceConfig.deploymentType))";
  static final String OLD_HAS_TYPE = "(has(oldSelf.sourceConfig) && has(oldSelf.sourceConfig.deploymentType))";
  static final String HAS_LISTENER = "(has(self.sourceConfig) && has(self.sourceConfig.listenerId))";
  static final String OLD_HAS_LISTENER = "(has(oldSelf.sourceConfig) && has(oldSelf.sourceConfig.listenerId))";
  static final String HAS_LISTENER_CONFIG = "(has(self.sourceConfig) && has(self.sourceConfig.listenerConfig))";
  static final String OLD_HAS_LISTENER_CONFIG = "(has(oldSelf.sourceConfig) && has(oldSelf.sourceConfig.listenerConfig))";

  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self == oldSelf", message = "langsmith.name is immutable: the remote cannot rename a deployment")
  @JsonPropertyDescription("Deployment name on the control plane; also the name of its tracing project. Unique per "
      + "workspace. Immutable.")
  private String name;

  @Required
  @ValidationRule(value = "self == oldSelf", message = "langsmith.source is immutable: the remote cannot change it")
  @JsonPropertyDescription("Where the code comes from: github (build from a connected GitHub repository, LangSmith "
      + "Cloud) or external_docker (run a prebuilt image, self-hosted). Immutable.")
  private LangSmithSource source;

  @JsonPropertyDescription("Source-level settings (repository, sizing, listener). Some are immutable after creation.")
  private LangSmithSourceConfig sourceConfig;

  @JsonPropertyDescription("Revision-level settings. Changing any of them rolls out a new revision.")
  private LangSmithRevisionConfig revisionConfig;

  @Size(max = 200)
  @JsonPropertyDescription("Environment variables of the agent server, as plain values or from Secrets in this "
      + "namespace. LangSmith stores them as deployment secrets; a change (including of a referenced Secret's "
      + "value) rolls out a new revision.")
  private List<EnvVar> env;

  @JsonPropertyDescription("When the remote deployment is deleted, also delete its tracing project and traces. "
      + "Default false (LangSmith keeps them).")
  private Boolean deleteTracingProject;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public LangSmithSource getSource() { return source; }
  public void setSource(LangSmithSource source) { this.source = source; }
  public LangSmithSourceConfig getSourceConfig() { return sourceConfig; }
  public void setSourceConfig(LangSmithSourceConfig sourceConfig) { this.sourceConfig = sourceConfig; }
  public LangSmithRevisionConfig getRevisionConfig() { return revisionConfig; }
  public void setRevisionConfig(LangSmithRevisionConfig revisionConfig) { this.revisionConfig = revisionConfig; }
  public List<EnvVar> getEnv() { return env; }
  public void setEnv(List<EnvVar> env) { this.env = env; }
  public Boolean getDeleteTracingProject() { return deleteTracingProject; }
  public void setDeleteTracingProject(Boolean deleteTracingProject) { this.deleteTracingProject = deleteTracingProject; }
}

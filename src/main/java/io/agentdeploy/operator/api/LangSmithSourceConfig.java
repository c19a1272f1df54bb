package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** Source-level settings of a LangSmith deployment (API: source_config). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LangSmithSourceConfig {
  @Size(max = 64)
  @JsonPropertyDescription("GitHub integration id (UUID) to build from (github only). Immutable.")
  private String integrationId;

  @Size(max = 2048)
  @JsonPropertyDescription("Git repository URL (github only). Immutable.")
  private String repoUrl;

  @JsonPropertyDescription("Cloud sizing tier: dev_free, dev or prod (github only). Immutable.")
  private DeploymentType deploymentType;

  @JsonPropertyDescription("Rebuild when the tracked branch receives a push (github only). Must be false for tag refs.")
  private Boolean buildOnPush;

  @Size(max = 2048)
  @JsonPropertyDescription("Public URL of the deployment (external_docker only; for github the service assigns it).")
  private String customUrl;

  @JsonPropertyDescription("Pod and database sizing plus Kubernetes extras (external_docker only). A change rolls "
      + "out a new revision and replaces the stored spec entirely.")
  private LangSmithResourceSpec resourceSpec;

  @Size(max = 64)
  @JsonPropertyDescription("Data-plane listener (UUID) to deploy through (external_docker only). Immutable.")
  private String listenerId;

  @JsonPropertyDescription("Listener-specific placement (external_docker only). Immutable.")
  private ListenerConfig listenerConfig;

  @Size(max = 1024)
  @JsonPropertyDescription("JS deployments only: custom dependency install command, run from the repository root.")
  private String installCommand;

  @Size(max = 1024)
  @JsonPropertyDescription("JS deployments only: custom build command, run from the directory holding langgraph.json.")
  private String buildCommand;

  public String getIntegrationId() { return integrationId; }
  public void setIntegrationId(String integrationId) { this.integrationId = integrationId; }
  public String getRepoUrl() { return repoUrl; }
  public void setRepoUrl(String repoUrl) { this.repoUrl = repoUrl; }
  public DeploymentType getDeploymentType() { return deploymentType; }
  public void setDeploymentType(DeploymentType deploymentType) { this.deploymentType = deploymentType; }
  public Boolean getBuildOnPush() { return buildOnPush; }
  public void setBuildOnPush(Boolean buildOnPush) { this.buildOnPush = buildOnPush; }
  public String getCustomUrl() { return customUrl; }
  public void setCustomUrl(String customUrl) { this.customUrl = customUrl; }
  public LangSmithResourceSpec getResourceSpec() { return resourceSpec; }
  public void setResourceSpec(LangSmithResourceSpec resourceSpec) { this.resourceSpec = resourceSpec; }
  public String getListenerId() { return listenerId; }
  public void setListenerId(String listenerId) { this.listenerId = listenerId; }
  public ListenerConfig getListenerConfig() { return listenerConfig; }
  public void setListenerConfig(ListenerConfig listenerConfig) { this.listenerConfig = listenerConfig; }
  public String getInstallCommand() { return installCommand; }
  public void setInstallCommand(String installCommand) { this.installCommand = installCommand; }
  public String getBuildCommand() { return buildCommand; }
  public void setBuildCommand(String buildCommand) { this.buildCommand = buildCommand; }
}

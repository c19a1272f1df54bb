package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A Scale GP Agentex deployment (v5 deployments API). Every change of the desired state is a new
 * deploy that supersedes the previous production deploy of the same Helm release.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.buildId) != has(self.image)", message = "set exactly one of buildId and image")
public class AgentexSpec {
  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @ValidationRule(value = "self == oldSelf",
      message = "agentex.name is immutable: a new name would start a second Helm release and leak the first")
  @JsonPropertyDescription("Agent name; must equal the agent name inside the manifest. It names the Helm release. "
      + "Immutable.")
  private String name;

  @Size(max = 128)
  @JsonPropertyDescription("A successful Agentex build to deploy. Set this or image.")
  private String buildId;

  @JsonPropertyDescription("A container image to deploy by name and tag. Set this or buildId.")
  private AgentexImage image;

  @Required
  @JsonPropertyDescription("The agent manifest (YAML), inline or from a ConfigMap key.")
  private TextSource manifest;

  @Required
  @JsonPropertyDescription("The environment configuration (YAML), inline or from a ConfigMap key.")
  private TextSource environmentConfig;

  @JsonPropertyDescription("Deploy as an ephemeral preview with its own release and an expiry. Previews are not "
      + "superseded: an edit deploys a new preview and the operator deletes the one it replaces.")
  private AgentexPreview preview;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getBuildId() { return buildId; }
  public void setBuildId(String buildId) { this.buildId = buildId; }
  public AgentexImage getImage() { return image; }
  public void setImage(AgentexImage image) { this.image = image; }
  public TextSource getManifest() { return manifest; }
  public void setManifest(TextSource manifest) { this.manifest = manifest; }
  public TextSource getEnvironmentConfig() { return environmentConfig; }
  public void setEnvironmentConfig(TextSource environmentConfig) { this.environmentConfig = environmentConfig; }
  public AgentexPreview getPreview() { return preview; }
  public void setPreview(AgentexPreview preview) { this.preview = preview; }
}

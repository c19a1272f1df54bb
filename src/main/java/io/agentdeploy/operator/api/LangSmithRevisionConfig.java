package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** Revision-level settings of a LangSmith deployment (API: source_revision_config). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LangSmithRevisionConfig {
  @Size(max = 255)
  @JsonPropertyDescription("Git ref to build (github only): a branch name such as main, or a full tag ref such as "
      + "refs/tags/v1.2.3.")
  private String repoRef;

  @Size(max = 1024)
  @JsonPropertyDescription("Path of langgraph.json inside the repository. Required for github, not allowed for "
      + "external_docker.")
  private String langgraphConfigPath;

  @Size(max = 1024)
  @JsonPropertyDescription("Container image to run. Required for external_docker.")
  private String imageUri;

  public String getRepoRef() { return repoRef; }
  public void setRepoRef(String repoRef) { this.repoRef = repoRef; }
  public String getLanggraphConfigPath() { return langgraphConfigPath; }
  public void setLanggraphConfigPath(String langgraphConfigPath) { this.langgraphConfigPath = langgraphConfigPath; }
  public String getImageUri() { return imageUri; }
  public void setImageUri(String imageUri) { this.imageUri = imageUri; }
}

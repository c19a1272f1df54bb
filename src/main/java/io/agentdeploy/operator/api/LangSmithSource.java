package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** LangSmith deployment sources the operator supports (the CLI-only internal_* sources are not declarative). */
public enum LangSmithSource {
  @JsonProperty("github") GITHUB("github"),
  @JsonProperty("external_docker") EXTERNAL_DOCKER("external_docker");

  private final String wireName;

  LangSmithSource(String wireName) { this.wireName = wireName; }

  /** The value the control plane API uses. */
  public String wireName() { return wireName; }
}

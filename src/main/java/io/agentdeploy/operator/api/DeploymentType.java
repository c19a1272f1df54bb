package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** LangSmith Cloud sizing tier (github source only). */
public enum DeploymentType {
  @JsonProperty("dev_free") DEV_FREE("dev_free"),
  @JsonProperty("dev") DEV("dev"),
  @JsonProperty("prod") PROD("prod");

  private final String wireName;

  DeploymentType(String wireName) { this.wireName = wireName; }

  public String wireName() { return wireName; }
}

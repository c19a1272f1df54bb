package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kind of remote control plane. */
public enum Provider {
  @JsonProperty("langsmith") LANGSMITH("langsmith"),
  @JsonProperty("agentex") AGENTEX("agentex");

  private final String wireName;

  Provider(String wireName) { this.wireName = wireName; }

  public String wireName() { return wireName; }
}

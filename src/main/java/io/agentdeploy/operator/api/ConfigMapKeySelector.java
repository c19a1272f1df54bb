package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a ConfigMap in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapKeySelector {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the ConfigMap.")
  private String name;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Key inside the ConfigMap.")
  private String key;

  public ConfigMapKeySelector() {}

  public ConfigMapKeySelector(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
}

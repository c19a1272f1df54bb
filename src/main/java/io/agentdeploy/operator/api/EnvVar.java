package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An environment variable of the agent, shaped like a Pod's env entry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.value) != has(self.valueFrom)",
    message = "set exactly one of value and valueFrom")
public class EnvVar {
  @Required
  @Size(min = 1, max = 255)
  @JsonPropertyDescription("Name of the environment variable.")
  private String name;

  @JsonPropertyDescription("Plain value. Use valueFrom.secretKeyRef for anything sensitive.")
  private String value;

  @JsonPropertyDescription("Source of the value: a key of a Secret in this namespace.")
  private EnvVarSource valueFrom;

  public EnvVar() {}

  public EnvVar(String name, String value, EnvVarSource valueFrom) {
    this.name = name;
    this.value = value;
    this.valueFrom = valueFrom;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public EnvVarSource getValueFrom() { return valueFrom; }
  public void setValueFrom(EnvVarSource valueFrom) { this.valueFrom = valueFrom; }
}

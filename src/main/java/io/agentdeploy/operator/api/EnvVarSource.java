package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where an environment variable's value comes from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvVarSource {
  @Required
  @JsonPropertyDescription("A key of a Secret in the same namespace. The operator watches the Secret: a changed "
      + "value rolls out a new revision.")
  private SecretKeySelector secretKeyRef;

  public EnvVarSource() {}

  public EnvVarSource(SecretKeySelector secretKeyRef) { this.secretKeyRef = secretKeyRef; }

  public SecretKeySelector getSecretKeyRef() { return secretKeyRef; }
  public void setSecretKeyRef(SecretKeySelector secretKeyRef) { this.secretKeyRef = secretKeyRef; }
}

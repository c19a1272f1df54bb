package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a control plane's CA bundle is: one key of a ConfigMap or of a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.configMapKeyRef) != has(self.secretKeyRef)",
    message = "set exactly one of configMapKeyRef and secretKeyRef")
public class CaBundleSource {
  @JsonPropertyDescription("A ConfigMap key holding the PEM bundle.")
  private ConfigMapKeySelector configMapKeyRef;

  @JsonPropertyDescription("A Secret key holding the PEM bundle.")
  private SecretKeySelector secretKeyRef;

  public CaBundleSource() {}

  public static CaBundleSource configMap(String name, String key) {
    CaBundleSource source = new CaBundleSource();
    source.configMapKeyRef = new ConfigMapKeySelector(name, key);
    return source;
  }

  public static CaBundleSource secret(String name, String key) {
    CaBundleSource source = new CaBundleSource();
    source.secretKeyRef = new SecretKeySelector(name, key);
    return source;
  }

  public ConfigMapKeySelector getConfigMapKeyRef() { return configMapKeyRef; }
  public void setConfigMapKeyRef(ConfigMapKeySelector configMapKeyRef) { this.configMapKeyRef = configMapKeyRef; }
  public SecretKeySelector getSecretKeyRef() { return secretKeyRef; }
  public void setSecretKeyRef(SecretKeySelector secretKeyRef) { this.secretKeyRef = secretKeyRef; }
}

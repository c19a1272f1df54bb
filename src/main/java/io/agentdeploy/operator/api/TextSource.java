package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** A text document given inline or read from a ConfigMap key in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.inline) != has(self.configMapKeyRef)",
    message = "set exactly one of inline and configMapKeyRef")
public class TextSource {
  @JsonPropertyDescription("The text itself.")
  private String inline;

  @JsonPropertyDescription("A key of a ConfigMap in this namespace holding the text. The operator watches it: a "
      + "changed content deploys again.")
  private ConfigMapKeySelector configMapKeyRef;

  public TextSource() {}

  public static TextSource inline(String text) {
    TextSource t = new TextSource();
    t.inline = text;
    return t;
  }

  public static TextSource fromConfigMap(String name, String key) {
    TextSource t = new TextSource();
    t.configMapKeyRef = new ConfigMapKeySelector(name, key);
    return t;
  }

  public String getInline() { return inline; }
  public void setInline(String inline) { this.inline = inline; }
  public ConfigMapKeySelector getConfigMapKeyRef() { return configMapKeyRef; }
  public void setConfigMapKeyRef(ConfigMapKeySelector configMapKeyRef) { this.configMapKeyRef = configMapKeyRef; }
}

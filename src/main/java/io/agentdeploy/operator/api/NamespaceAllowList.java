package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The namespaces whose AgentDeployments may use a ClusterControlPlane: by name, by labels, or both. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceAllowList {
  @JsonPropertyDescription("Namespaces allowed by name.")
  private List<String> names = new ArrayList<>();

  @JsonPropertyDescription("Namespaces allowed by their labels, as in a NetworkPolicy's namespaceSelector; {} allows "
      + "every namespace. A namespace is allowed when it is named or matches.")
  private LabelSelector selector;

  public NamespaceAllowList() {}

  public NamespaceAllowList(List<String> names, LabelSelector selector) {
    this.names = names == null ? new ArrayList<>() : new ArrayList<>(names);
    this.selector = selector;
  }

  public List<String> getNames() { return names; }
  public void setNames(List<String> names) { this.names = names; }
  public LabelSelector getSelector() { return selector; }
  public void setSelector(LabelSelector selector) { this.selector = selector; }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamespaceAllowList other && Objects.equals(names, other.names)
        && Objects.equals(selector, other.selector);
  }

  @Override
  public int hashCode() { return Objects.hash(names, selector); }
}

package io.agentdeploy.operator.uninstall;

import io.agentdeploy.operator.api.AgentDeployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** The AgentDeployments in the watched namespaces (all of them when the set is empty). */
final class AgentDeploymentCensus {
  private AgentDeploymentCensus() {}

  /** {@code namespace/name}, with "(being deleted)" for those already on their way out. */
  static List<String> list(KubernetesClient client, Set<String> namespaces) {
    List<String> out = new ArrayList<>();
    for (AgentDeployment a : WatchedObjects.list(client, AgentDeployment.class, namespaces)) {
      out.add(a.getMetadata().getNamespace() + "/" + a.getMetadata().getName()
          + (a.getMetadata().getDeletionTimestamp() != null ? " (being deleted)" : ""));
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }
}

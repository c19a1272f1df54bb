package io.agentdeploy.operator.uninstall;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Lists one kind in the watched namespaces, or in all namespaces when the set is empty. */
final class WatchedObjects {
  private WatchedObjects() {}

  static <T extends HasMetadata> List<T> list(KubernetesClient client, Class<T> kind, Set<String> namespaces) {
    try {
      if (namespaces.isEmpty()) {
        return client.resources(kind).inAnyNamespace().list().getItems();
      }
      List<T> out = new ArrayList<>();
      for (String ns : namespaces.stream().sorted().toList()) {
        out.addAll(client.resources(kind).inNamespace(ns).list().getItems());
      }
      return out;
    } catch (KubernetesClientException e) {
      // The CRDs are already gone: then so is every object of the kind.
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return List.of();
      }
      throw e;
    }
  }
}

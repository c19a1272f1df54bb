package io.agentdeploy.operator.controller;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Consumer;

/**
 * A kind whose content a {@link ReferencedObjectStore} keeps only for referenced objects: its
 * type (to read one object whole from the API) and what its content is.
 *
 * @param dropContent removes everything but metadata from an object nobody else holds yet
 */
record CachedKind<T extends HasMetadata>(Class<T> type, Consumer<T> dropContent) {
  static final CachedKind<Secret> SECRETS = new CachedKind<>(Secret.class, s -> {
    s.setData(null);
    s.setStringData(null);
  });
  static final CachedKind<ConfigMap> CONFIG_MAPS = new CachedKind<>(ConfigMap.class, c -> {
    c.setData(null);
    c.setBinaryData(null);
  });

  /** The object as the API holds it now, or null when it is gone. */
  T read(KubernetesClient client, String namespace, String name) {
    return namespace == null ? client.resources(type).withName(name).get()
        : client.resources(type).inNamespace(namespace).withName(name).get();
  }
}

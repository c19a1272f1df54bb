package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ControlPlane;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an API-key Secret from disappearing while a ControlPlane uses it. Deleting a namespace
 * deletes everything at once; without this finalizer the Secret would go first and the
 * AgentDeployments could no longer delete their remote deployments.
 */
final class CredentialGuard {
  static final String FINALIZER = "agentdeploy.io/credentials-in-use";
  private static final Logger LOG = LoggerFactory.getLogger(CredentialGuard.class);

  private CredentialGuard() {}

  /** Adds the finalizer to {@code secret} if it lacks it (and is not being deleted). */
  static void protect(KubernetesClient client, Secret secret) {
    List<String> finalizers = secret.getMetadata().getFinalizers();
    if (secret.getMetadata().getDeletionTimestamp() != null || (finalizers != null && finalizers.contains(FINALIZER))) {
      return;
    }
    try {
      client.secrets().inNamespace(secret.getMetadata().getNamespace()).withName(secret.getMetadata().getName())
          .edit(s -> {
            List<String> list = new ArrayList<>(s.getMetadata().getFinalizers() == null ? List.of()
                : s.getMetadata().getFinalizers());
            if (!list.contains(FINALIZER)) {
              list.add(FINALIZER);
            }
            s.getMetadata().setFinalizers(list);
            return s;
          });
    } catch (KubernetesClientException e) {
      LOG.warn("could not protect Secret {}/{} against early deletion: {}", secret.getMetadata().getNamespace(),
          secret.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * Releases every Secret of the namespace that carries our finalizer but is no longer named by
   * any of {@code liveControlPlanes} (deleted, or switched to another Secret).
   */
  static void releaseUnused(KubernetesClient client, Collection<Secret> secretsInNamespace,
      Collection<ControlPlane> liveControlPlanes) {
    Set<String> used = liveControlPlanes.stream().filter(cp -> cp.getMetadata().getDeletionTimestamp() == null)
        .map(cp -> cp.getSpec().getApiKeySecretRef().getName()).collect(Collectors.toSet());
    for (Secret secret : secretsInNamespace) {
      List<String> finalizers = secret.getMetadata().getFinalizers();
      if (finalizers == null || !finalizers.contains(FINALIZER) || used.contains(secret.getMetadata().getName())) {
        continue;
      }
      try {
        client.secrets().inNamespace(secret.getMetadata().getNamespace()).withName(secret.getMetadata().getName())
            .edit(s -> {
              List<String> list = new ArrayList<>(s.getMetadata().getFinalizers());
              list.remove(FINALIZER);
              s.getMetadata().setFinalizers(list);
              return s;
            });
      } catch (KubernetesClientException e) {
        LOG.debug("could not release Secret {}: {}", secret.getMetadata().getName(), e.getMessage());
      }
    }
  }
}

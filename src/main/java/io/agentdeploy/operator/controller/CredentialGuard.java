package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ControlPlane;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an API-key Secret from disappearing while a ControlPlane uses it. Deleting a namespace
 * deletes everything at once; without this finalizer the Secret would go first and the
 * AgentDeployments could no longer delete their remote deployments. A Secret that is being deleted
 * stays readable (its deletionTimestamp changes nothing for the readers) until the finalizer goes.
 *
 * <p>Opt-out per Secret with {@link #OPT_OUT} {@code: "false"}: then no finalizer is added and one
 * added before is removed (tools that own the Secret, such as External Secrets, Sealed Secrets or
 * an Argo CD prune, do not expect a finalizer they did not put there).
 */
public final class CredentialGuard {
  public static final String FINALIZER = "agentdeploy.io/credentials-in-use";
  /** On a Secret: "false" keeps the operator's finalizer off it. */
  public static final String OPT_OUT = "agentdeploy.io/protect";
  private static final Logger LOG = LoggerFactory.getLogger(CredentialGuard.class);

  private CredentialGuard() {}

  static boolean optedOut(Secret secret) {
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    return annotations != null && "false".equalsIgnoreCase(String.valueOf(annotations.get(OPT_OUT)).strip());
  }

  /** Adds the finalizer to {@code secret} unless it has it, is being deleted, or opted out. */
  static void protect(KubernetesClient client, Secret secret) {
    List<String> finalizers = finalizers(secret);
    if (secret.getMetadata().getDeletionTimestamp() != null || finalizers.contains(FINALIZER) || optedOut(secret)) {
      return;
    }
    List<String> after = new ArrayList<>(finalizers);
    after.add(FINALIZER);
    try {
      writeFinalizers(client, secret, after);
    } catch (KubernetesClientException e) {
      // A newer version of the Secret is on its way to the informer; its event brings us back.
      LOG.warn("could not protect Secret {}/{} against early deletion: HTTP {}", secret.getMetadata().getNamespace(),
          secret.getMetadata().getName(), e.getCode());
    }
  }

  /**
   * Releases every Secret of the namespace that carries our finalizer but is no longer needed: not
   * named by any of {@code controlPlanes} that is live or, while being deleted, still has
   * AgentDeployments ({@code stillUsed}); or opted out.
   */
  static void releaseUnused(KubernetesClient client, Collection<Secret> secretsInNamespace,
      Collection<ControlPlane> controlPlanes, Predicate<ControlPlane> stillUsed) {
    Set<String> used = controlPlanes.stream()
        .filter(cp -> cp.getMetadata().getDeletionTimestamp() == null || stillUsed.test(cp))
        .map(cp -> cp.getSpec().getApiKeySecretRef().getName()).collect(Collectors.toSet());
    for (Secret secret : secretsInNamespace) {
      List<String> finalizers = finalizers(secret);
      if (!finalizers.contains(FINALIZER) || (used.contains(secret.getMetadata().getName()) && !optedOut(secret))) {
        continue;
      }
      List<String> after = new ArrayList<>(finalizers);
      after.remove(FINALIZER);
      try {
        writeFinalizers(client, secret, after);
      } catch (KubernetesClientException e) {
        LOG.debug("could not release Secret {}: HTTP {}", secret.getMetadata().getName(), e.getCode());
      }
    }
  }

  private static List<String> finalizers(Secret secret) {
    return secret.getMetadata().getFinalizers() == null ? List.of() : secret.getMetadata().getFinalizers();
  }

  /**
   * A merge patch of the finalizer list with the resourceVersion it was computed from: a Secret
   * changed since then is a conflict, never a lost finalizer of someone else. No read first, so
   * the operator needs only {@code patch} for this (the cached copy is the base).
   */
  private static void writeFinalizers(KubernetesClient client, Secret secret, List<String> finalizers) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("resourceVersion", secret.getMetadata().getResourceVersion());
    metadata.put("finalizers", finalizers.isEmpty() ? null : finalizers);
    // Patching through the object (not by name) spares fabric8's read of the current version.
    client.resource(secret).patch(PatchContext.of(PatchType.JSON_MERGE),
        Serialization.asJson(Map.of("metadata", metadata)));
  }
}

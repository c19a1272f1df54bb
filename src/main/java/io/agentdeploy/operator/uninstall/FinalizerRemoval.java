package io.agentdeploy.operator.uninstall;

import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.controller.ControlPlaneReconciler;
import io.agentdeploy.operator.controller.CredentialGuard;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes the finalizers the operator puts on objects that outlive it: the ControlPlane's and the
 * credentials-in-use one on the API-key Secrets ControlPlanes name. (AgentDeployments carry one
 * too, but the uninstall only gets here when none exists.) Needs list and patch on ControlPlanes,
 * get and patch on Secrets.
 */
final class FinalizerRemoval {
  private FinalizerRemoval() {}

  /** Each object released, as {@code kind namespace/name}. */
  static List<String> run(KubernetesClient client, Set<String> namespaces, boolean clusterControlPlanes) {
    List<String> released = new ArrayList<>();
    if (clusterControlPlanes) {
      // Their keys live in the operator's namespace and carry no finalizer of ours.
      for (ClusterControlPlane cp : client.resources(ClusterControlPlane.class).list().getItems()) {
        if (remove(client, cp, ControlPlaneReconciler.FINALIZER)) {
          released.add("ClusterControlPlane " + cp.getMetadata().getName());
        }
      }
    }
    for (ControlPlane cp : WatchedObjects.list(client, ControlPlane.class, namespaces)) {
      String ns = cp.getMetadata().getNamespace();
      if (remove(client, cp, ControlPlaneReconciler.FINALIZER)) {
        released.add("ControlPlane " + ns + "/" + cp.getMetadata().getName());
      }
      if (cp.getSpec() == null || cp.getSpec().getApiKeySecretRef() == null) {
        continue;
      }
      Secret current = client.secrets().inNamespace(ns).withName(cp.getSpec().getApiKeySecretRef().getName()).get();
      if (current != null && remove(client, current, CredentialGuard.FINALIZER)) {
        released.add("Secret " + ns + "/" + current.getMetadata().getName());
      }
    }
    return released;
  }

  /**
   * A JSON patch that tests the finalizer is where it was read, then removes it: a concurrent
   * change makes it fail instead of removing someone else's finalizer.
   */
  private static boolean remove(KubernetesClient client, HasMetadata current, String finalizer) {
    List<String> finalizers = current.getMetadata().getFinalizers();
    int index = finalizers == null ? -1 : finalizers.indexOf(finalizer);
    if (index < 0) {
      return false;
    }
    String path = "/metadata/finalizers/" + index;
    // Through the object just read: fabric8 would otherwise read it again first.
    client.resource(current).patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(
        Map.of("op", "test", "path", path, "value", finalizer), Map.of("op", "remove", "path", path))));
    return true;
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.api.EnvVar;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The names of the objects a resource refers to, for the informer indexes that map a change of a
 * Secret or ControlPlane back to the resources that use it.
 */
public final class References {
  public static final String SECRET_INDEX = "agentdeploy-secret-refs";
  public static final String CONTROL_PLANE_INDEX = "agentdeploy-controlplane-ref";
  public static final String CONFIG_MAP_INDEX = "agentdeploy-configmap-refs";

  private References() {}

  public static List<String> secretKeys(AgentDeployment resource) {
    if (resource.getSpec() == null || resource.getSpec().getLangsmith() == null
        || resource.getSpec().getLangsmith().getEnv() == null) {
      return List.of();
    }
    return resource.getSpec().getLangsmith().getEnv().stream()
        .map(EnvVar::getValueFrom).filter(Objects::nonNull)
        .map(v -> v.getSecretKeyRef()).filter(Objects::nonNull)
        .map(ref -> indexKey(resource.getMetadata().getNamespace(), ref.getName()))
        .distinct().toList();
  }

  public static List<String> configMapKeys(AgentDeployment resource) {
    if (resource.getSpec() == null || resource.getSpec().getAgentex() == null) {
      return List.of();
    }
    var agentex = resource.getSpec().getAgentex();
    return Stream.of(agentex.getManifest(), agentex.getEnvironmentConfig()).filter(Objects::nonNull)
        .map(t -> t.getConfigMapKeyRef()).filter(Objects::nonNull)
        .map(ref -> indexKey(resource.getMetadata().getNamespace(), ref.getName())).distinct().toList();
  }

  public static List<String> controlPlaneKeys(AgentDeployment resource) {
    if (resource.getSpec() == null || resource.getSpec().getControlPlaneRef() == null) {
      return List.of();
    }
    var ref = resource.getSpec().getControlPlaneRef();
    return List.of(ref.kindOrDefault() == ControlPlaneKind.ClusterControlPlane ? clusterIndexKey(ref.getName())
        : indexKey(resource.getMetadata().getNamespace(), ref.getName()));
  }

  /** A cluster-scoped object's key: no namespace is empty, so it never meets a namespaced key. */
  public static String clusterIndexKey(String name) {
    return indexKey("", name);
  }

  /** The API-key Secret of a ControlPlane, and its CA-bundle Secret when it names one. */
  public static List<String> secretKeys(ControlPlane controlPlane) {
    String namespace = controlPlane.getMetadata().getNamespace();
    return Stream.concat(Stream.ofNullable(controlPlane.getSpec()).map(s -> s.getApiKeySecretRef())
            .filter(Objects::nonNull).map(ref -> indexKey(namespace, ref.getName())),
        CaBundles.secretKeys(controlPlane.getSpec(), namespace).stream()).distinct().toList();
  }

  /** The CA-bundle ConfigMap of a ControlPlane, when it names one. */
  public static List<String> configMapKeys(ControlPlane controlPlane) {
    return CaBundles.configMapKeys(controlPlane.getSpec(), controlPlane.getMetadata().getNamespace());
  }

  public static String indexKey(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return indexKey(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  public static String indexKey(String namespace, String name) {
    return namespace + "/" + name;
  }
}

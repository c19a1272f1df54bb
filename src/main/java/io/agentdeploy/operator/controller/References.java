package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.remote.RemoteClients;
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

  /** The Secrets a resource's spec takes values from, as its provider reads the spec. */
  public static List<String> secretKeys(AgentDeployment resource, RemoteClients clients) {
    return resource.getSpec() == null ? List.of() : keys(resource, clients.adapterFor(resource.getSpec())
        .secretNames(resource.getSpec()));
  }

  /** The ConfigMaps a resource's spec takes texts from, as its provider reads the spec. */
  public static List<String> configMapKeys(AgentDeployment resource, RemoteClients clients) {
    return resource.getSpec() == null ? List.of() : keys(resource, clients.adapterFor(resource.getSpec())
        .configMapNames(resource.getSpec()));
  }

  private static List<String> keys(AgentDeployment resource, List<String> names) {
    return names.stream().map(name -> indexKey(resource.getMetadata().getNamespace(), name)).distinct().toList();
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

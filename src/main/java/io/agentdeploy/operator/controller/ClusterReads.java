package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ConfigMapKeySelector;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.remote.SpecInputs;
import io.agentdeploy.operator.remote.SpecProblem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Optional;

/**
 * The objects one AgentDeployment refers to, read through the caches of its namespace (Secrets and
 * ConfigMaps whole, see {@link ReferencedObjectStore}); also the {@link SpecInputs} the provider
 * adapters resolve references through.
 */
final class ClusterReads implements SpecInputs {
  static final String SECRETS = "secrets";
  static final String CONTROL_PLANES = "controlplanes";
  static final String CONFIG_MAPS = "configmaps";

  private final ReferenceWatches watches;
  private final String namespace;

  ClusterReads(ReferenceWatches watches, String namespace) {
    this.watches = watches;
    this.namespace = namespace;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  Optional<Secret> secret(String name) {
    return watches.secret(namespace, name);
  }

  Optional<ControlPlane> controlPlane(String name) {
    return watches.controlPlane(namespace, name);
  }

  Optional<ClusterControlPlane> clusterControlPlane(String name) throws SpecProblem {
    return cluster().controlPlane(name);
  }

  /** A Secret of the operator's namespace, where ClusterControlPlane keys live. */
  Optional<Secret> operatorSecret(String name) throws SpecProblem {
    return cluster().key(name);
  }

  /** A ConfigMap of the operator's namespace, where ClusterControlPlane CA bundles live. */
  Optional<ConfigMap> operatorConfigMap(String name) throws SpecProblem {
    return cluster().caConfigMap(name);
  }

  /** The labels of this resource's namespace, for a ClusterControlPlane's allow-list. */
  Map<String, String> namespaceLabels() throws SpecProblem {
    return cluster().namespaceLabels(namespace);
  }

  private ClusterControlPlaneWatches cluster() throws SpecProblem {
    return watches.cluster().orElseThrow(() -> new SpecProblem("ClusterControlPlanesDisabled", "this operator runs "
        + "without ClusterControlPlane support (chart value clusterControlPlanes.enabled=false); refer to a "
        + "ControlPlane of namespace " + namespace + ", or ask the platform team to enable it"));
  }

  Optional<ConfigMap> configMap(String name) {
    return watches.configMap(namespace, name);
  }

  @Override
  public String secretValue(SecretKeySelector ref, String where) throws SpecProblem {
    Secret secret = secret(ref.getName()).orElseThrow(() -> new SpecProblem("SecretNotFound",
        "Secret " + ref.getName() + " (referenced by " + where + ") does not exist in namespace " + namespace
            + "; create it, nothing is sent to the control plane until then"));
    return Secrets.value(secret, ref.getKey()).orElseThrow(() -> new SpecProblem("SecretKeyNotFound",
        "Secret " + ref.getName() + " has no key " + ref.getKey() + " (referenced by " + where + ")"));
  }

  @Override
  public String configMapValue(ConfigMapKeySelector ref, String where) throws SpecProblem {
    ConfigMap configMap = configMap(ref.getName()).orElseThrow(() -> new SpecProblem("ConfigMapNotFound",
        "ConfigMap " + ref.getName() + " (referenced by " + where + ") does not exist in namespace " + namespace));
    String value = configMap.getData() == null ? null : configMap.getData().get(ref.getKey());
    if (value == null && configMap.getBinaryData() != null && configMap.getBinaryData().containsKey(ref.getKey())) {
      value = binaryText(configMap, ref.getKey(), where);
    }
    if (value == null) {
      throw new SpecProblem("ConfigMapKeyNotFound", "ConfigMap " + ref.getName() + " has no key " + ref.getKey()
          + " (referenced by " + where + ")");
    }
    return value;
  }

  /** A binaryData key read as text: strictly UTF-8, or a problem that names the ConfigMap and key. */
  private static String binaryText(ConfigMap configMap, String key, String where) throws SpecProblem {
    String name = configMap.getMetadata().getName();
    byte[] bytes;
    try {
      bytes = java.util.Base64.getDecoder().decode(configMap.getBinaryData().get(key));
    } catch (IllegalArgumentException e) {
      throw new SpecProblem("InvalidConfigMapValue", "ConfigMap " + name + " binaryData key " + key
          + " is not valid base64 (referenced by " + where + "); rewrite it");
    }
    return Utf8Text.decode(bytes).orElseThrow(() -> new SpecProblem("InvalidConfigMapValue", "ConfigMap " + name
        + " binaryData key " + key + " is not UTF-8 text (" + Utf8Text.firstBadByte(bytes) + "; referenced by "
        + where + "); store it as UTF-8 text under data, nothing is sent until then"));
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.CaBundleSource;
import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.remote.http.TrustBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A control plane's CA bundle (spec.caBundle), read through the caches the reconciler has: the
 * same code for the check of the control plane and for every call an AgentDeployment makes, so
 * both trust the same certificates. Anything that keeps it from being used is InvalidCaBundle.
 */
final class CaBundles {
  private CaBundles() {}

  /**
   * @param owner how messages name the control plane, e.g. "ControlPlane team-a"
   * @param namespace where the ConfigMap or Secret lives (the operator's for a ClusterControlPlane)
   * @return empty when the control plane names no bundle
   */
  static Optional<TrustBundle> read(ControlPlaneSpec spec, String owner, String namespace,
      Function<String, Optional<ConfigMap>> configMaps, Function<String, Optional<Secret>> secrets) throws SpecProblem {
    CaBundleSource source = spec.getCaBundle();
    if (source == null) {
      return Optional.empty();
    }
    String pem;
    String where;
    if (source.getConfigMapKeyRef() != null) {
      String name = source.getConfigMapKeyRef().getName();
      String key = source.getConfigMapKeyRef().getKey();
      where = "CA bundle ConfigMap " + name + " key " + key + " (spec.caBundle of " + owner + ")";
      ConfigMap configMap = configMaps.apply(name).orElseThrow(() -> problem(where + " does not exist in namespace "
          + namespace));
      pem = configMap.getData() == null ? null : configMap.getData().get(key);
    } else if (source.getSecretKeyRef() != null) {
      String name = source.getSecretKeyRef().getName();
      String key = source.getSecretKeyRef().getKey();
      where = "CA bundle Secret " + name + " key " + key + " (spec.caBundle of " + owner + ")";
      Secret secret = secrets.apply(name).orElseThrow(() -> problem(where + " does not exist in namespace "
          + namespace));
      pem = Secrets.value(secret, key).orElse(null);
    } else {
      throw problem("spec.caBundle of " + owner + " names neither a ConfigMap nor a Secret key");
    }
    if (pem == null) {
      throw problem(where + " has no such key");
    }
    return Optional.of(RemoteClients.trustBundle(pem, where));
  }

  /** The ConfigMap named by a control plane's bundle, as an index key. */
  static List<String> configMapKeys(ControlPlaneSpec spec, String namespace) {
    return spec == null || spec.getCaBundle() == null || spec.getCaBundle().getConfigMapKeyRef() == null ? List.of()
        : List.of(References.indexKey(namespace, spec.getCaBundle().getConfigMapKeyRef().getName()));
  }

  /** The Secret named by a control plane's bundle, as an index key. */
  static List<String> secretKeys(ControlPlaneSpec spec, String namespace) {
    return spec == null || spec.getCaBundle() == null || spec.getCaBundle().getSecretKeyRef() == null ? List.of()
        : List.of(References.indexKey(namespace, spec.getCaBundle().getSecretKeyRef().getName()));
  }

  /** What a check depends on besides the generation and key: the bundle's certificates. */
  static String checkKeyPart(Optional<TrustBundle> bundle) {
    return bundle.map(b -> "/ca:" + b.fingerprint()).orElse("");
  }

  private static SpecProblem problem(String message) {
    return new SpecProblem("InvalidCaBundle", message + "; nothing is sent to the control plane until it is fixed");
  }
}

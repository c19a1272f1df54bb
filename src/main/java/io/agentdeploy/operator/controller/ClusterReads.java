package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ConfigMapKeySelector;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.remote.SpecInputs;
import io.agentdeploy.operator.remote.SpecProblem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.Optional;

/**
 * The objects one AgentDeployment refers to, read from the informer caches of its namespace; also
 * the {@link SpecInputs} the provider adapters resolve references through.
 */
final class ClusterReads implements SpecInputs {
  static final String SECRETS = "secrets";
  static final String CONTROL_PLANES = "controlplanes";
  static final String CONFIG_MAPS = "configmaps";

  private final Context<AgentDeployment> context;
  private final ReferenceCaches caches;
  private final String namespace;

  ClusterReads(Context<AgentDeployment> context, ReferenceCaches caches, String namespace) {
    this.context = context;
    this.caches = caches;
    this.namespace = namespace;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @SuppressWarnings("unchecked")
  Optional<Secret> secret(String name) {
    Optional<Secret> cached = ((InformerEventSource<Secret, AgentDeployment>) context.eventSourceRetriever()
        .getEventSourceFor(Secret.class, SECRETS)).get(new ResourceID(name, namespace));
    return caches.namespaced().full(cached, context.getClient());
  }

  @SuppressWarnings("unchecked")
  Optional<ControlPlane> controlPlane(String name) {
    return ((InformerEventSource<ControlPlane, AgentDeployment>) context.eventSourceRetriever()
        .getEventSourceFor(ControlPlane.class, CONTROL_PLANES)).get(new ResourceID(name, namespace));
  }

  @SuppressWarnings("unchecked")
  Optional<ClusterControlPlane> clusterControlPlane(String name) throws SpecProblem {
    requireClusterControlPlanes();
    return ((InformerEventSource<ClusterControlPlane, AgentDeployment>) context.eventSourceRetriever()
        .getEventSourceFor(ClusterControlPlane.class, ClusterControlPlaneWatches.CLUSTER_CONTROL_PLANES))
        .get(new ResourceID(name));
  }

  /** A Secret of the operator's namespace, where ClusterControlPlane keys live. */
  @SuppressWarnings("unchecked")
  Optional<Secret> operatorSecret(String name) throws SpecProblem {
    requireClusterControlPlanes();
    Optional<Secret> cached = ((InformerEventSource<Secret, AgentDeployment>) context.eventSourceRetriever()
        .getEventSourceFor(Secret.class, ClusterControlPlaneWatches.OPERATOR_SECRETS))
        .get(new ResourceID(name, caches.operatorNamespace()));
    return caches.operatorSecrets().full(cached, context.getClient());
  }

  /** The labels of this resource's namespace, for a ClusterControlPlane's allow-list. */
  @SuppressWarnings("unchecked")
  Map<String, String> namespaceLabels() throws SpecProblem {
    requireClusterControlPlanes();
    return ((InformerEventSource<Namespace, AgentDeployment>) context.eventSourceRetriever()
        .getEventSourceFor(Namespace.class, ClusterControlPlaneWatches.NAMESPACES)).get(new ResourceID(namespace))
        .map(ns -> ns.getMetadata().getLabels()).orElse(Map.of());
  }

  private void requireClusterControlPlanes() throws SpecProblem {
    if (!caches.clusterControlPlanesEnabled()) {
      throw new SpecProblem("ClusterControlPlanesDisabled", "this operator runs without ClusterControlPlane support "
          + "(chart value clusterControlPlanes.enabled=false); refer to a ControlPlane of namespace " + namespace
          + ", or ask the platform team to enable it");
    }
  }

  @SuppressWarnings("unchecked")
  Optional<ConfigMap> configMap(String name) {
    return ((InformerEventSource<ConfigMap, AgentDeployment>) context.eventSourceRetriever()
        .getEventSourceFor(ConfigMap.class, CONFIG_MAPS)).get(new ResourceID(name, namespace));
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
    if (value == null) {
      throw new SpecProblem("ConfigMapKeyNotFound", "ConfigMap " + ref.getName() + " has no key " + ref.getKey()
          + " (referenced by " + where + ")");
    }
    return value;
  }
}

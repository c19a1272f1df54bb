package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The AgentDeployment controller's watches for ClusterControlPlanes: the control planes themselves
 * (a change brings back the resources that use one), the namespaces (a label change re-evaluates
 * the allow-lists), and the operator namespace's Secrets (a cache only: a rotated key is used at
 * each resource's next call, so a rotation wakes no AgentDeployment).
 */
final class ClusterControlPlaneWatches {
  static final String CLUSTER_CONTROL_PLANES = "clustercontrolplanes";
  static final String NAMESPACES = "namespaces";
  static final String OPERATOR_SECRETS = "operator-secrets";

  private ClusterControlPlaneWatches() {}

  static ReferenceCaches caches(OperatorConfig config, ReferencedSecretStore namespaced) {
    // Referenced or not, a key Secret's data is read once per version on first use.
    return new ReferenceCaches(namespaced, config.clusterControlPlanes() ? new ReferencedSecretStore(s -> false) : null,
        config.operatorNamespace());
  }

  /** {@code namespacedSources} plus the cluster-scoped watches when ClusterControlPlanes are enabled. */
  static List<EventSource<?, AgentDeployment>> with(EventSourceContext<AgentDeployment> context,
      ReferenceCaches caches, List<EventSource<?, AgentDeployment>> namespacedSources) {
    if (!caches.clusterControlPlanesEnabled()) {
      return namespacedSources;
    }
    var controlPlanes = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ClusterControlPlane.class, AgentDeployment.class).withName(CLUSTER_CONTROL_PLANES)
        .withNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES))
        .withSecondaryToPrimaryMapper((ClusterControlPlane cp) -> context.getPrimaryCache()
            .byIndex(References.CONTROL_PLANE_INDEX, References.clusterIndexKey(cp.getMetadata().getName())).stream()
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    var namespaces = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Namespace.class, AgentDeployment.class).withName(NAMESPACES)
        .withNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES))
        .withOnUpdateFilter((now, before) -> !Objects.equals(now.getMetadata().getLabels(),
            before.getMetadata().getLabels()))
        .withSecondaryToPrimaryMapper((Namespace ns) -> context.getPrimaryCache()
            .list(ns.getMetadata().getName(), a -> ControlPlaneUsers.refersTo(a, ControlPlaneKind.ClusterControlPlane,
                null))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    var keys = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Secret.class, AgentDeployment.class).withName(OPERATOR_SECRETS)
        .withNamespaces(Set.of(caches.operatorNamespace())).withItemStore(caches.operatorSecrets())
        .withSecondaryToPrimaryMapper((Secret s) -> Set.<ResourceID>of())
        .build(), context);
    List<EventSource<?, AgentDeployment>> all = new ArrayList<>(namespacedSources);
    all.addAll(List.of(controlPlanes, namespaces, keys));
    return all;
  }
}

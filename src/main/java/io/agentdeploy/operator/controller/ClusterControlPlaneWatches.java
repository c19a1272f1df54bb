package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSourceStartPriority;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
  static final String OPERATOR_CONFIG_MAPS = "operator-configmaps";

  private final String operatorNamespace;
  private final InformerEventSource<ClusterControlPlane, AgentDeployment> controlPlanes;
  private final InformerEventSource<Namespace, AgentDeployment> namespaces;
  private final ReferencedInformers<Secret, AgentDeployment> keys;
  /** CA-bundle ConfigMaps of ClusterControlPlanes, in the operator's namespace: a cache only, as the keys. */
  private final ReferencedInformers<ConfigMap, AgentDeployment> caConfigMaps;

  ClusterControlPlaneWatches(EventSourceContext<AgentDeployment> context, String operatorNamespace) {
    this.operatorNamespace = operatorNamespace;
    controlPlanes = new InformerEventSource<>(TrimmedItemStore.useWhereSafe(InformerEventSourceConfiguration
        .from(ClusterControlPlane.class, AgentDeployment.class).withName(CLUSTER_CONTROL_PLANES)
        .withNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES))
        .withOnUpdateFilter(ControlPlaneChanges::reachUsers)
        .withSecondaryToPrimaryMapper((ClusterControlPlane cp) -> context.getPrimaryCache()
            .byIndex(References.CONTROL_PLANE_INDEX, References.clusterIndexKey(cp.getMetadata().getName())).stream()
            .map(ResourceID::fromResource).collect(Collectors.toSet())), context)
        .build(), context);
    controlPlanes.addIndexers(Map.of(References.SECRET_INDEX, cp -> secretKeys(cp, operatorNamespace),
        References.CONFIG_MAP_INDEX, cp -> CaBundles.configMapKeys(cp.getSpec(), operatorNamespace)));
    // Synced before the key informer starts: its store asks it which Secrets hold API keys.
    controlPlanes.setEventSourcePriority(EventSourceStartPriority.RESOURCE_STATE_LOADER);
    namespaces = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Namespace.class, AgentDeployment.class).withName(NAMESPACES)
        .withNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES))
        .withOnUpdateFilter((now, before) -> !Objects.equals(now.getMetadata().getLabels(),
            before.getMetadata().getLabels()))
        .withSecondaryToPrimaryMapper((Namespace ns) -> context.getPrimaryCache()
            .list(ns.getMetadata().getName(), a -> ControlPlaneUsers.refersTo(a, ControlPlaneKind.ClusterControlPlane,
                null))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    keys = ReferencedInformers.create(OPERATOR_SECRETS, CachedKind.SECRETS, AgentDeployment.class,
        Set.of(operatorNamespace), context, s -> !controlPlanes.byIndex(References.SECRET_INDEX,
            References.indexKey(s.getMetadata().getNamespace(), s.getMetadata().getName())).isEmpty(),
        s -> Set.of());
    caConfigMaps = ReferencedInformers.create(OPERATOR_CONFIG_MAPS, CachedKind.CONFIG_MAPS, AgentDeployment.class,
        Set.of(operatorNamespace), context, cm -> !controlPlanes.byIndex(References.CONFIG_MAP_INDEX,
            References.indexKey(cm.getMetadata().getNamespace(), cm.getMetadata().getName())).isEmpty(),
        cm -> Set.of());
  }

  /** The API-key Secret of a ClusterControlPlane and its CA-bundle Secret, in the operator's namespace. */
  static List<String> secretKeys(ClusterControlPlane cp, String operatorNamespace) {
    if (cp.getSpec() == null || cp.getSpec().getApiKeySecretRef() == null) {
      return List.of();
    }
    return java.util.stream.Stream.concat(
        java.util.stream.Stream.of(References.indexKey(operatorNamespace, cp.getSpec().getApiKeySecretRef().getName())),
        CaBundles.secretKeys(cp.getSpec(), operatorNamespace).stream()).distinct().toList();
  }

  List<EventSource<?, AgentDeployment>> eventSources() {
    List<EventSource<?, AgentDeployment>> all = new ArrayList<>(List.of(controlPlanes, namespaces));
    all.addAll(keys.eventSources());
    all.addAll(caConfigMaps.eventSources());
    return all;
  }

  Optional<ClusterControlPlane> controlPlane(String name) {
    return controlPlanes.get(new ResourceID(name));
  }

  /** A Secret of the operator's namespace, where ClusterControlPlane keys live. */
  Optional<Secret> key(String name) {
    return keys.read(operatorNamespace, name);
  }

  /** A ConfigMap of the operator's namespace that holds a ClusterControlPlane's CA bundle. */
  Optional<ConfigMap> caConfigMap(String name) {
    return caConfigMaps.read(operatorNamespace, name);
  }

  Map<String, String> namespaceLabels(String namespace) {
    return namespaces.get(new ResourceID(namespace)).map(ns -> ns.getMetadata().getLabels()).orElse(Map.of());
  }
}

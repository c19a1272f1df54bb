package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.RemoteClients;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSourceStartPriority;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The watches that bring an AgentDeployment back when something it refers to changes (its
 * Secrets, its ControlPlane, its ConfigMaps, mapped through indexes on the primary cache), and
 * the caches its reconciles read those through. Only referenced Secrets and ConfigMaps are kept
 * whole; a Secret counts as referenced when an AgentDeployment's env names it or a ControlPlane
 * holds its API key there (every call to the remote reads that key).
 */
final class ReferenceWatches {
  private final InformerEventSource<ControlPlane, AgentDeployment> controlPlanes;
  private final ReferencedInformers<Secret, AgentDeployment> secrets;
  private final ReferencedInformers<ConfigMap, AgentDeployment> configMaps;
  /** Null when the operator does not serve ClusterControlPlanes. */
  private final ClusterControlPlaneWatches cluster;

  ReferenceWatches(EventSourceContext<AgentDeployment> context, OperatorConfig config, RemoteClients clients) {
    context.getPrimaryCache().addIndexer(References.SECRET_INDEX, a -> References.secretKeys(a, clients));
    context.getPrimaryCache().addIndexer(References.CONTROL_PLANE_INDEX, References::controlPlaneKeys);
    context.getPrimaryCache().addIndexer(References.CONFIG_MAP_INDEX, a -> References.configMapKeys(a, clients));
    controlPlanes = new InformerEventSource<>(TrimmedItemStore.useWhereSafe(InformerEventSourceConfiguration
        .from(ControlPlane.class, AgentDeployment.class).withName(ClusterReads.CONTROL_PLANES)
        .withNamespacesInheritedFromController()
        .withOnUpdateFilter(ControlPlaneChanges::reachUsers)
        .withSecondaryToPrimaryMapper((ControlPlane cp) -> primaries(context, References.CONTROL_PLANE_INDEX,
            References.indexKey(cp.getMetadata().getNamespace(), cp.getMetadata().getName()))), context)
        .build(), context);
    controlPlanes.addIndexers(Map.of(References.SECRET_INDEX, References::secretKeys,
        References.CONFIG_MAP_INDEX, References::configMapKeys));
    // Synced before the Secret informers start: their stores ask it which Secrets hold API keys.
    controlPlanes.setEventSourcePriority(EventSourceStartPriority.RESOURCE_STATE_LOADER);
    Set<String> namespaces = ReferencedInformers.controllerNamespaces(context);
    secrets = ReferencedInformers.create(ClusterReads.SECRETS, CachedKind.SECRETS, AgentDeployment.class,
        namespaces, context, s -> !primaries(context, References.SECRET_INDEX, key(s)).isEmpty()
            || !controlPlanes.byIndex(References.SECRET_INDEX, key(s)).isEmpty(),
        s -> primaries(context, References.SECRET_INDEX, key(s)));
    configMaps = ReferencedInformers.create(ClusterReads.CONFIG_MAPS, CachedKind.CONFIG_MAPS,
        AgentDeployment.class, namespaces, context,
        cm -> !primaries(context, References.CONFIG_MAP_INDEX, key(cm)).isEmpty()
            || !controlPlanes.byIndex(References.CONFIG_MAP_INDEX, key(cm)).isEmpty(),
        cm -> primaries(context, References.CONFIG_MAP_INDEX, key(cm)));
    cluster = config.clusterControlPlanes() ? new ClusterControlPlaneWatches(context, config.operatorNamespace()) : null;
  }

  List<EventSource<?, AgentDeployment>> eventSources() {
    List<EventSource<?, AgentDeployment>> all = new ArrayList<>(secrets.eventSources());
    all.add(controlPlanes);
    all.addAll(configMaps.eventSources());
    if (cluster != null) {
      all.addAll(cluster.eventSources());
    }
    return all;
  }

  /** The ClusterControlPlane watches, or empty when the operator does not serve them. */
  Optional<ClusterControlPlaneWatches> cluster() {
    return Optional.ofNullable(cluster);
  }

  Optional<Secret> secret(String namespace, String name) {
    return secrets.read(namespace, name);
  }

  Optional<ControlPlane> controlPlane(String namespace, String name) {
    return controlPlanes.get(new ResourceID(name, namespace));
  }

  Optional<ConfigMap> configMap(String namespace, String name) {
    return configMaps.read(namespace, name);
  }

  private static String key(HasMetadata object) {
    return References.indexKey(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  private static Set<ResourceID> primaries(EventSourceContext<AgentDeployment> context, String index, String key) {
    return context.getPrimaryCache().byIndex(index, key).stream().map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}

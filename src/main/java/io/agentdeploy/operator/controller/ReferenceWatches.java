package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The watches that bring an AgentDeployment back when something it refers to changes: its
 * Secrets, its ControlPlane and its ConfigMaps, mapped through indexes on the primary cache.
 */
final class ReferenceWatches {
  private ReferenceWatches() {}

  /** Keeps full data only of Secrets some AgentDeployment refers to. */
  static ReferencedSecretStore secretStore(EventSourceContext<AgentDeployment> context) {
    context.getPrimaryCache().addIndexer(References.SECRET_INDEX, References::secretKeys);
    context.getPrimaryCache().addIndexer(References.CONTROL_PLANE_INDEX, References::controlPlaneKeys);
    context.getPrimaryCache().addIndexer(References.CONFIG_MAP_INDEX, References::configMapKeys);
    return new ReferencedSecretStore(
        s -> !context.getPrimaryCache().byIndex(References.SECRET_INDEX, References.indexKey(s)).isEmpty());
  }

  static List<EventSource<?, AgentDeployment>> eventSources(EventSourceContext<AgentDeployment> context,
      ReferencedSecretStore secretStore) {
    var secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, AgentDeployment.class)
        .withName(ClusterReads.SECRETS).withNamespacesInheritedFromController().withItemStore(secretStore)
        .withSecondaryToPrimaryMapper((Secret s) -> primaries(context, References.SECRET_INDEX, References.indexKey(s)))
        .build(), context);
    var controlPlanes = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ControlPlane.class, AgentDeployment.class).withName(ClusterReads.CONTROL_PLANES)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper((ControlPlane cp) -> primaries(context, References.CONTROL_PLANE_INDEX,
            References.indexKey(cp.getMetadata().getNamespace(), cp.getMetadata().getName())))
        .build(), context);
    var configMaps = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ConfigMap.class, AgentDeployment.class).withName(ClusterReads.CONFIG_MAPS)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper((ConfigMap cm) -> primaries(context, References.CONFIG_MAP_INDEX,
            References.indexKey(cm.getMetadata().getNamespace(), cm.getMetadata().getName())))
        .build(), context);
    return List.of(secrets, controlPlanes, configMaps);
  }

  private static Set<ResourceID> primaries(EventSourceContext<AgentDeployment> context, String index, String key) {
    return context.getPrimaryCache().byIndex(index, key).stream().map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}

package io.agentdeploy.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The informers through which a controller reads the objects of one kind that its resources
 * refer to (Secrets, ConfigMaps), each with its own {@link ReferencedObjectStore}: one informer
 * when it watches all namespaces, else one per namespace. JOSDK gives the informers of all
 * namespaces of one event source the same item store; then each answers for every namespace
 * (a ControlPlane check listed the Secrets of other namespaces as its own and released their
 * finalizers), and each one's re-list (at start, after an expired watch) removes from the store
 * what it did not list itself. The namespaces are fixed when the controller starts (the operator
 * never changes them at run time).
 */
final class ReferencedInformers<T extends HasMetadata, P extends HasMetadata> {
  private record Watch<T extends HasMetadata, P extends HasMetadata>(InformerEventSource<T, P> source,
      ReferencedObjectStore<T> store) {}

  /** By namespace, or under {@link Constants#WATCH_ALL_NAMESPACES} alone. */
  private final Map<String, Watch<T, P>> watches;

  private ReferencedInformers(Map<String, Watch<T, P>> watches) {
    this.watches = watches;
  }

  /**
   * @param name the event source name (with {@code @namespace} appended when there are several)
   * @param namespaces the namespaces to watch, or {@link Constants#WATCH_ALL_NAMESPACES} alone
   * @param referenced whether a resource of this controller refers to the object (metadata only)
   * @param primaries the resources to reconcile when the object changes
   */
  static <T extends HasMetadata, P extends HasMetadata> ReferencedInformers<T, P> create(String name,
      CachedKind<T> kind, Class<P> primaryType, Set<String> namespaces, EventSourceContext<P> context,
      Predicate<T> referenced, SecondaryToPrimaryMapper<T> primaries) {
    Map<String, Watch<T, P>> watches = new LinkedHashMap<>();
    for (String namespace : namespaces) {
      var store = new ReferencedObjectStore<>(kind, referenced, context.getClient());
      var source = new InformerEventSource<>(InformerEventSourceConfiguration.from(kind.type(), primaryType)
          .withName(namespaces.size() == 1 ? name : name + "@" + namespace).withNamespaces(Set.of(namespace))
          .withItemStore(store).withSecondaryToPrimaryMapper(primaries).build(), context);
      watches.put(namespace, new Watch<>(source, store));
    }
    return new ReferencedInformers<>(watches);
  }

  /** The namespaces the controller watches, as {@link #create} takes them. */
  static Set<String> controllerNamespaces(EventSourceContext<?> context) {
    Set<String> namespaces = context.getControllerConfiguration().getEffectiveNamespaces();
    return InformerConfiguration.allNamespacesWatched(namespaces) ? Set.of(Constants.WATCH_ALL_NAMESPACES)
        : namespaces;
  }

  List<EventSource<?, P>> eventSources() {
    return watches.values().stream().<EventSource<?, P>>map(Watch::source).toList();
  }

  /**
   * The object with its content: from the cache when kept there, otherwise read from the API
   * (once per version). Empty when the object does not exist or its namespace is not watched.
   */
  Optional<T> read(String namespace, String name) {
    Watch<T, P> watch = watchOf(namespace);
    if (watch == null) {
      return Optional.empty();
    }
    return watch.source().get(new ResourceID(name, namespace)).flatMap(watch.store()::whole);
  }

  /** The cached objects of a namespace, content possibly left out: for their metadata only. */
  Stream<T> cached(String namespace) {
    Watch<T, P> watch = watchOf(namespace);
    return watch == null ? Stream.empty() : watch.source().list(namespace);
  }

  private Watch<T, P> watchOf(String namespace) {
    Watch<T, P> all = watches.get(Constants.WATCH_ALL_NAMESPACES);
    return all != null ? all : watches.get(namespace);
  }
}

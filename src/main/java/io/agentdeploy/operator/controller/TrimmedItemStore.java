package io.agentdeploy.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.Set;

/**
 * An informer store holding each object without managedFields and the last-applied annotation
 * (see {@link CacheTrim}): for the informers of AgentDeployments and ControlPlanes, primary or
 * secondary. Secrets and ConfigMaps have {@link ReferencedObjectStore}, which also drops content.
 */
public final class TrimmedItemStore<T extends HasMetadata> extends MapItemStore<T> {

  private TrimmedItemStore() {}

  /**
   * Gives the controller a trimmed store when it has a single informer (all namespaces, or one).
   * With several watched namespaces JOSDK would hand this one store to the informer of every
   * namespace (see {@link ReferencedInformers} for what goes wrong then): there the controller
   * keeps JOSDK's default store, bookkeeping fields included.
   *
   * @param namespaces the watched namespaces; empty means all
   */
  public static <P extends HasMetadata> void useWhereSafe(ControllerConfigurationOverrider<P> controller,
      Set<String> namespaces) {
    if (namespaces.size() <= 1) {
      controller.withItemStore(new TrimmedItemStore<>());
    }
  }

  /** The same rule for a secondary informer that follows the controller's namespaces. */
  static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> useWhereSafe(
      InformerEventSourceConfiguration.Builder<R> informer, EventSourceContext<?> context) {
    return ReferencedInformers.controllerNamespaces(context).size() == 1
        ? informer.withItemStore(new TrimmedItemStore<>()) : informer;
  }

  /** The informer hands over an object fresh from the API that nobody else holds yet: it is trimmed in place. */
  @Override
  public T put(String key, T object) {
    return items.put(key, CacheTrim.withoutBookkeeping(object));
  }
}

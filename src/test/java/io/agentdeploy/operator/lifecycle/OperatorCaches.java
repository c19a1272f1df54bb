package io.agentdeploy.operator.lifecycle;

import io.agentdeploy.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;

/** What the running operator's informers hold, read through JOSDK's event sources of each controller. */
final class OperatorCaches {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private OperatorCaches() {}

  private static Controller<?> controller(OperatorRuntime runtime, String name) {
    // JOSDK registers a Controller; the public interface it returns has no access to its event sources.
    return (Controller<?>) runtime.operator().getRegisteredController(name).orElseThrow();
  }

  /** Every cached object of {@code type} in the controller's informers (one per namespace or one for all). */
  static <R extends HasMetadata> List<R> secondaries(OperatorRuntime runtime, String controller, Class<R> type) {
    return controller(runtime, controller).getEventSourceManager().getEventSourcesFor(type).stream()
        .flatMap(source -> ((InformerEventSource<R, ?>) source).list()).toList();
  }

  /** How many event sources (informers) of {@code type} the controller has. */
  static int informersOf(OperatorRuntime runtime, String controller, Class<? extends HasMetadata> type) {
    return controller(runtime, controller).getEventSourceManager().getEventSourcesFor(type).size();
  }

  /** The controller's own resources, as its informer holds them. */
  static List<? extends HasMetadata> primaries(OperatorRuntime runtime, String controller) {
    return controller(runtime, controller).getEventSourceManager().getControllerEventSource().list().toList();
  }

  static boolean hasBookkeeping(HasMetadata object) {
    var meta = object.getMetadata();
    return (meta.getManagedFields() != null && !meta.getManagedFields().isEmpty())
        || (meta.getAnnotations() != null && meta.getAnnotations().containsKey(LAST_APPLIED));
  }

  static boolean hasContent(HasMetadata object) {
    if (object instanceof Secret s) {
      return notEmpty(s.getData()) || notEmpty(s.getStringData());
    }
    if (object instanceof ConfigMap c) {
      return notEmpty(c.getData()) || notEmpty(c.getBinaryData());
    }
    throw new IllegalArgumentException(object.getKind());
  }

  private static boolean notEmpty(Map<?, ?> map) {
    return map != null && !map.isEmpty();
  }
}

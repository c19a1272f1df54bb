package io.agentdeploy.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An informer's store that keeps the content (a Secret's or ConfigMap's data) only of objects
 * some resource refers to, and of all others their metadata, marked, so that the operator does
 * not hold every Secret and ConfigMap of the watched namespaces. Nothing it holds carries
 * managedFields or the last-applied annotation. An object that becomes referenced after it was
 * stored is read from the API on its first read and stored whole in place of the stripped copy
 * (once per resourceVersion, with no second map to bound: its next change or removal replaces it).
 *
 * <p>One store per informer (see {@link ReferencedInformers}): an informer takes its store's
 * content for its own, and its re-list removes from the store what that list did not return.
 */
final class ReferencedObjectStore<T extends HasMetadata> extends MapItemStore<T> {
  /** Marks an object whose content this store left out. */
  static final String CONTENT_NOT_CACHED = "agentdeploy.io/content-not-cached";

  private final CachedKind<T> kind;
  private final Predicate<T> referenced;
  private final KubernetesClient client;

  /**
   * @param referenced whether a resource refers to the object (looks at metadata only: index
   *     lookups on the caches of the resources that refer)
   * @param client reads an object whole that was stored without content
   */
  ReferencedObjectStore(CachedKind<T> kind, Predicate<T> referenced, KubernetesClient client) {
    this.kind = kind;
    this.referenced = referenced;
    this.client = client;
  }

  /** The informer hands over an object fresh from the API that nobody else holds yet: it is trimmed in place. */
  @Override
  public T put(String key, T object) {
    CacheTrim.withoutBookkeeping(object);
    if (!referenced.test(object)) {
      kind.dropContent().accept(object);
      Map<String, String> annotations = new LinkedHashMap<>(object.getMetadata().getAnnotations() == null ? Map.of()
          : object.getMetadata().getAnnotations());
      annotations.put(CONTENT_NOT_CACHED, "true");
      object.getMetadata().setAnnotations(annotations);
    }
    return items.put(key, object);
  }

  /**
   * The object with its content: {@code cached} itself when the store kept it, otherwise read
   * from the API and, if the store still holds that version, kept from now on.
   */
  Optional<T> whole(T cached) {
    if (!isWithoutContent(cached)) {
      return Optional.of(cached);
    }
    T read = kind.read(client, cached.getMetadata().getNamespace(), cached.getMetadata().getName());
    if (read == null) {
      return Optional.empty();
    }
    CacheTrim.withoutBookkeeping(read);
    // Only in place of the same version: a newer one the informer stored meanwhile stays.
    items.computeIfPresent(getKey(read), (key, current) -> isWithoutContent(current)
        && Objects.equals(current.getMetadata().getResourceVersion(), read.getMetadata().getResourceVersion())
        ? read : current);
    return Optional.of(read);
  }

  static boolean isWithoutContent(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations != null && "true".equals(annotations.get(CONTENT_NOT_CACHED));
  }
}

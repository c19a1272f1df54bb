package io.agentdeploy.operator.controller;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The Secret informer's store: it keeps the data only of Secrets some resource references, and
 * metadata only (enough for change events) of all others, so the operator does not hold every
 * Secret of the watched namespaces in memory. A Secret that becomes referenced later is read
 * once from the API and kept until its resourceVersion changes.
 */
final class ReferencedSecretStore implements ItemStore<Secret> {
  static final String DATA_NOT_CACHED = "agentdeploy.io/data-not-cached";

  private final BasicItemStore<Secret> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final Map<String, Secret> fetched = new ConcurrentHashMap<>();
  private final Predicate<Secret> referenced;

  ReferencedSecretStore(Predicate<Secret> referenced) {
    this.referenced = referenced;
  }

  @Override
  public String getKey(Secret secret) {
    return Cache.metaNamespaceKeyFunc(secret);
  }

  @Override
  public Secret put(String key, Secret secret) {
    fetched.remove(key);
    return delegate.put(key, referenced.test(secret) ? secret : withoutData(secret));
  }

  @Override
  public Secret remove(String key) {
    fetched.remove(key);
    return delegate.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<Secret> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public Secret get(String key) {
    return delegate.get(key);
  }

  /** The full Secret: from the store when its data is kept, otherwise read (once per version) from the API. */
  Optional<Secret> full(Optional<Secret> cached, KubernetesClient client) {
    if (cached.isEmpty() || !isWithoutData(cached.get())) {
      return cached;
    }
    Secret meta = cached.get();
    String key = getKey(meta);
    Secret known = fetched.get(key);
    if (known != null && Objects.equals(known.getMetadata().getResourceVersion(),
        meta.getMetadata().getResourceVersion())) {
      return Optional.of(known);
    }
    Secret read = client.secrets().inNamespace(meta.getMetadata().getNamespace())
        .withName(meta.getMetadata().getName()).get();
    if (read != null) {
      fetched.put(key, read);
    }
    return Optional.ofNullable(read);
  }

  static boolean isWithoutData(Secret secret) {
    return secret.getMetadata().getAnnotations() != null
        && "true".equals(secret.getMetadata().getAnnotations().get(DATA_NOT_CACHED));
  }

  private static Secret withoutData(Secret secret) {
    return new SecretBuilder(secret).withData(null).withStringData(null).editMetadata()
        .addToAnnotations(DATA_NOT_CACHED, "true").endMetadata().build();
  }
}

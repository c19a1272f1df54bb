package io.agentdeploy.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReferencedObjectStoreTest {
  private static EmbeddedKubernetes kube;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    kube = EmbeddedKubernetes.start();
    client = kube.client();
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  /** Metadata as the API server hands it out for an object made with {@code kubectl apply}. */
  private static ObjectMeta applied(String name, String lastApplied) {
    return new ObjectMetaBuilder().withName(name).withNamespace("agents").withResourceVersion("1")
        .addToAnnotations(CacheTrim.LAST_APPLIED, lastApplied).addToAnnotations("team", "search")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply")
            .withOperation("Update").withApiVersion("v1").build())
        .build();
  }

  private static Secret secret(String name, String value) {
    String data = Base64.getEncoder().encodeToString(value.getBytes());
    return new SecretBuilder().withMetadata(applied(name, "{\"data\":{\"token\":\"" + data + "\"}}"))
        .withData(Map.of("token", data)).build();
  }

  private static ReferencedObjectStore<Secret> secretStore() {
    return new ReferencedObjectStore<>(CachedKind.SECRETS, s -> s.getMetadata().getName().startsWith("used-"), client);
  }

  /** As an informer hands it to its store: read from the API, nobody else holds it. */
  private static Secret fromApi(String name) {
    return client.secrets().inNamespace("agents").withName(name).get();
  }

  @Test
  void keepsContentOnlyOfReferencedObjectsAndBookkeepingOfNone() {
    ReferencedObjectStore<Secret> store = secretStore();
    store.put("agents/used-a", secret("used-a", "kept"));
    store.put("agents/other", secret("other", "not-kept"));

    Secret used = store.get("agents/used-a");
    assertEquals(Map.of("token", "a2VwdA=="), used.getData());
    assertFalse(ReferencedObjectStore.isWithoutContent(used));
    Secret other = store.get("agents/other");
    assertNull(other.getData(), "an unreferenced Secret keeps no data in memory");
    assertTrue(ReferencedObjectStore.isWithoutContent(other));
    for (Secret s : new Secret[] {used, other}) {
      assertFalse(CacheTrim.hasBookkeeping(s), "no managedFields, no last-applied annotation: " + s.getMetadata());
      assertEquals("search", s.getMetadata().getAnnotations().get("team"), "other annotations stay");
    }
  }

  @Test
  void configMapsLoseDataAndBinaryData() {
    var store = new ReferencedObjectStore<>(CachedKind.CONFIG_MAPS, cm -> false, client);
    store.put("agents/dashboards", new ConfigMapBuilder().withMetadata(applied("dashboards", "{}"))
        .withData(Map.of("a.json", "{}")).withBinaryData(Map.of("b", "AAAA")).build());
    ConfigMap cached = store.get("agents/dashboards");
    assertNull(cached.getData());
    assertNull(cached.getBinaryData());
    assertFalse(CacheTrim.hasBookkeeping(cached));
  }

  @Test
  void anObjectReferencedAfterItWasStoredIsReadOncePerVersionAndKeptWhole() {
    ReferencedObjectStore<Secret> store = secretStore();
    client.resource(secret("late", "read-on-demand")).create();
    store.put("agents/late", fromApi("late"));
    assertTrue(ReferencedObjectStore.isWithoutContent(store.get("agents/late")));

    Secret whole = store.whole(store.get("agents/late")).orElseThrow();
    assertEquals("cmVhZC1vbi1kZW1hbmQ=", whole.getData().get("token"));
    assertFalse(CacheTrim.hasBookkeeping(whole));
    assertSame(whole, store.get("agents/late"), "the version read replaced the stripped copy in the store");
    assertSame(whole, store.whole(store.get("agents/late")).orElseThrow(), "not read again for the same version");

    // Its next change replaces it and is judged again: still unreferenced, so stripped.
    client.secrets().inNamespace("agents").withName("late").edit(s -> {
      s.getData().put("token", "bmV3");
      return s;
    });
    store.put("agents/late", fromApi("late"));
    assertTrue(ReferencedObjectStore.isWithoutContent(store.get("agents/late")));
    assertEquals("bmV3", store.whole(store.get("agents/late")).orElseThrow().getData().get("token"));
  }

  @Test
  void aReadNeverReplacesAVersionTheStoreDoesNotHold() {
    ReferencedObjectStore<Secret> store = secretStore();
    client.resource(secret("moving", "v1")).create();
    store.put("agents/moving", fromApi("moving"));
    Secret stale = store.get("agents/moving");
    client.secrets().inNamespace("agents").withName("moving").edit(s -> {
      s.getData().put("token", "djI=");
      return s;
    });
    Secret read = store.whole(stale).orElseThrow();
    assertEquals("djI=", read.getData().get("token"), "the API's current version is served");
    assertSame(stale, store.get("agents/moving"), "the informer's own copy stays until it sees the change");
  }

  @Test
  void aReadOfAnObjectGoneFromTheApiIsEmpty() {
    ReferencedObjectStore<Secret> store = secretStore();
    store.put("agents/gone", secret("gone", "x"));
    assertTrue(store.whole(store.get("agents/gone")).isEmpty());
    store.remove("agents/gone");
    assertEquals(0, store.size());
  }
}

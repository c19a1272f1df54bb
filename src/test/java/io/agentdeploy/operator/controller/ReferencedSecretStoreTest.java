package io.agentdeploy.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReferencedSecretStoreTest {
  private static Secret secret(String name, String value) {
    return new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace("agents").build())
        .withData(Map.of("token", java.util.Base64.getEncoder().encodeToString(value.getBytes()))).build();
  }

  @Test
  void keepsDataOnlyOfReferencedSecretsAndReadsOthersOnDemand() {
    ReferencedSecretStore store = new ReferencedSecretStore(s -> s.getMetadata().getName().startsWith("used-"));
    store.put("agents/used-a", secret("used-a", "kept"));
    store.put("agents/other", secret("other", "not-kept"));
    assertEquals(Map.of("token", "a2VwdA=="), store.get("agents/used-a").getData());
    assertNull(store.get("agents/other").getData(), "unreferenced Secrets keep no data in memory");
    assertTrue(ReferencedSecretStore.isWithoutData(store.get("agents/other")));

    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start()) {
      Secret created = kube.client().resource(secret("other", "not-kept")).create();
      store.put("agents/other", created);
      Optional<Secret> full = store.full(Optional.of(store.get("agents/other")), kube.client());
      assertEquals("bm90LWtlcHQ=", full.orElseThrow().getData().get("token"));
      assertSame(full.get(), store.full(Optional.of(store.get("agents/other")), kube.client()).orElseThrow(),
          "read once per resourceVersion");
      Secret used = store.get("agents/used-a");
      assertSame(used, store.full(Optional.of(used), kube.client()).orElseThrow(), "kept data is served as is");
    }
  }
}

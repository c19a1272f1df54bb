package io.agentdeploy.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.StateHasher;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator's hash key Secret against the embedded Kubernetes API: made once, shared, never replaced. */
class HashKeySecretTest {
  private static final String NS = "operator-ns";
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

  private static byte[] stored(String name) {
    return Base64.getDecoder().decode(client.secrets().inNamespace(NS).withName(name).get().getData()
        .get(HashKeySecret.KEY));
  }

  @Test
  void anAbsentKeyIsCreatedOnceLabelledAndThenReused() {
    StateHasher first = new HashKeySecret(client, NS, "hk-create").load();
    Secret secret = client.secrets().inNamespace(NS).withName("hk-create").get();
    assertEquals(32, stored("hk-create").length);
    assertEquals(StateHasher.keyIdOf(stored("hk-create")), first.keyId());
    assertEquals("agent-deployment-operator", secret.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
    assertTrue(secret.getMetadata().getAnnotations().get("agentdeploy.io/purpose").contains("HashKeyChanged"));
    assertTrue(secret.getImmutable());
    StateHasher again = new HashKeySecret(client, NS, "hk-create").load();
    assertEquals(first.keyId(), again.keyId(), "a restart reads the same key, never a new one");
    assertEquals(first.hash(new byte[] {1, 2, 3}), again.hash(new byte[] {1, 2, 3}));
  }

  @Test
  void aCreateThatLosesToAnotherReplicaUsesTheStoredKey() {
    StateHasher winner = new HashKeySecret(client, NS, "hk-lost-race").load();
    HashKeySecret loser = new HashKeySecret(client, NS, "hk-lost-race");
    assertTrue(loser.create().isEmpty(), "409: the Secret exists, the new key is thrown away");
    assertEquals(winner.keyId(), loser.load().keyId());
    assertEquals(winner.keyId(), StateHasher.keyIdOf(stored("hk-lost-race")));
  }

  @Test
  void twoLoadersRacingOnAnAbsentSecretEndWithTheSameKey() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        String name = "hk-race-" + round;
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<StateHasher>> loads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          loads.add(pool.submit(() -> {
            // Each replica with its own client, as two pods would.
            try (KubernetesClient own = kube.newClient()) {
              together.await();
              return new HashKeySecret(own, NS, name).load();
            }
          }));
        }
        String a = loads.get(0).get().keyId();
        String b = loads.get(1).get().keyId();
        assertEquals(a, b, name);
        assertEquals(StateHasher.keyIdOf(stored(name)), a, name);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSecretWithoutAUsableKeyStopsTheStartWithOneLineAndIsKept() {
    String shortKey = Base64.getEncoder().encodeToString("sixteen-bytes-ok".getBytes());
    Map<String, Map<String, String>> bad = Map.of(
        "hk-missing", Map.of("other", shortKey),
        "hk-short", Map.of(HashKeySecret.KEY, shortKey));
    for (var e : bad.entrySet()) {
      client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(e.getKey())
          .withNamespace(NS).endMetadata().withData(e.getValue()).build()).create();
      StartupFailure failure = assertThrows(StartupFailure.class,
          () -> new HashKeySecret(client, NS, e.getKey()).load());
      String message = failure.getMessage();
      assertTrue(message.contains(NS + "/" + e.getKey()), message);
      assertTrue(message.contains(e.getKey().equals("hk-short") ? "16 bytes" : "no data key 'key'"), message);
      assertFalse(message.contains(shortKey) || message.contains("sixteen-bytes-ok"), "never the key itself");
      assertFalse(message.contains("\n"), "one line");
      assertEquals(e.getValue(), client.secrets().inNamespace(NS).withName(e.getKey()).get().getData(),
          "not replaced");
    }
    OperatorConfig config = OperatorConfig.defaults().withServerSideApply(false).withOperatorNamespace(NS)
        .withHashKeySecret("hk-short");
    try (KubernetesClient operatorClient = kube.newClient()) {
      StartupFailure atStart = assertThrows(StartupFailure.class,
          () -> OperatorRuntime.start(operatorClient, config, Clock.systemUTC(), false));
      assertTrue(atStart.getMessage().startsWith("the hash key Secret " + NS + "/hk-short exists but"));
    }
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.controller.AgentDeploymentReconciler;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.controller.ControlPlaneReconciler;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import io.agentdeploy.operator.simulator.Simulator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The memory bar of selective caching: Secrets and ConfigMaps nobody refers to cost the operator
 * their metadata only. The real operator runs in this JVM against the Kubernetes API in another
 * one (whose copy of every object must not be counted); its live heap is read from a class
 * histogram before and after the objects arrive in its caches.
 */
class CacheMemoryTest {
  private static final long BAR = 20L << 20;
  private static final String BULK = "agentdeploy.io/test-bulk";
  private static final List<String> NAMESPACES = List.of(Resources.NS, "team-b");
  private static final int SECRETS = 1000;
  private static final int CONFIG_MAPS = 500;

  @Test
  void unreferencedSecretsAndConfigMapsCostTheirMetadataOnly() {
    try (ForkedKubernetes kube = ForkedKubernetes.start();
        Simulator sim = Simulator.start(SimulatedWorld.fastSimulator().withApiKey(SimulatedWorld.API_KEY));
        KubernetesClient client = kube.newClient();
        OperatorRuntime operator = OperatorRuntime.start(kube.newClient(), OperatorHarness.FAST, Clock.systemUTC(),
            true)) {
      // Warm: a ControlPlane and an AgentDeployment with a Secret env value, Ready.
      client.resource(Resources.apiKeySecret("langsmith-key", SimulatedWorld.API_KEY)).create();
      client.resource(Resources.controlPlane(SimulatedWorld.CONTROL_PLANE, sim.baseUrl(), "langsmith-key",
          SimulatedWorld.TENANT)).create();
      client.resource(Resources.secret("used-env", Map.of("token", "used-token-value"))).create();
      AgentDeployment agent = Resources.dockerAgent("warm", SimulatedWorld.CONTROL_PLANE, "registry.example.com/w:1");
      agent.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("TOKEN", "used-env", "token"));
      client.resource(agent).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(AgentDeployment.class)
          .inNamespace(Resources.NS).withName("warm").get(), OperatorHarness::readyNow);

      long before = HeapHistogram.liveBytes();
      long started = System.nanoTime();
      Random random = new Random(42);
      for (int i = 0; i < SECRETS; i++) {
        client.resource(secret(i, random)).create();
      }
      for (int i = 0; i < CONFIG_MAPS; i++) {
        client.resource(configMap(i, random)).create();
      }
      double created = (System.nanoTime() - started) / 1e9;
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
          bulk(operator, AgentDeploymentReconciler.NAME, Secret.class).size() == SECRETS
              && bulk(operator, ControlPlaneReconciler.NAME, Secret.class).size() == SECRETS
              && bulk(operator, AgentDeploymentReconciler.NAME, ConfigMap.class).size() == CONFIG_MAPS);
      double seen = (System.nanoTime() - started) / 1e9;
      long after = HeapHistogram.liveBytes();
      long growth = after - before;
      System.out.printf("selective caching: %d Secrets (10 KiB, half kubectl-applied) and %d ConfigMaps (100 KiB),"
          + " created in %.1f s, all cached after %.1f s; live heap %d -> %d bytes, growth %.2f MiB (bar %d MiB)%n",
          SECRETS, CONFIG_MAPS, created, seen, before, after, growth / 1048576.0, BAR >> 20);
      assertTrue(growth < BAR, "live heap grew by " + growth + " bytes");

      for (String controller : List.of(AgentDeploymentReconciler.NAME, ControlPlaneReconciler.NAME)) {
        for (HasMetadata o : bulk(operator, controller, Secret.class)) {
          assertFalse(OperatorCaches.hasContent(o) || OperatorCaches.hasBookkeeping(o), controller + ": " + o);
        }
      }
      for (HasMetadata o : bulk(operator, AgentDeploymentReconciler.NAME, ConfigMap.class)) {
        assertFalse(OperatorCaches.hasContent(o) || OperatorCaches.hasBookkeeping(o), o.toString());
      }
      Secret used = OperatorCaches.secondaries(operator, AgentDeploymentReconciler.NAME, Secret.class).stream()
          .filter(s -> s.getMetadata().getName().equals("used-env")).findFirst().orElseThrow();
      assertEquals(Map.of("token", "used-token-value"), used.getStringData(), "a referenced Secret is kept whole");
      assertTrue(Conditions.isTrue(client.resources(AgentDeployment.class).inNamespace(Resources.NS)
          .withName("warm").get().getStatus().getConditions(), Conditions.READY));
    }
  }

  private static <R extends HasMetadata> List<R> bulk(OperatorRuntime operator, String controller, Class<R> type) {
    return OperatorCaches.secondaries(operator, controller, type).stream()
        .filter(o -> o.getMetadata().getLabels() != null && o.getMetadata().getLabels().containsKey(BULK)).toList();
  }

  /** 10 KiB of data; every other one made with {@code kubectl apply}, whose annotation repeats the data. */
  private static Secret secret(int i, Random random) {
    byte[] bytes = new byte[10 * 1024];
    random.nextBytes(bytes);
    String payload = Base64.getEncoder().encodeToString(bytes);
    String name = "bulk-secret-" + i;
    String namespace = NAMESPACES.get(i % NAMESPACES.size());
    boolean applied = i % 2 == 0;
    ObjectMeta meta = metadata(name, namespace, applied, fields -> fields.put("f:data", Map.of(".", Map.of(),
        "f:payload", Map.of())));
    if (applied) {
      meta.getAnnotations().put(OperatorCaches.LAST_APPLIED, "{\"apiVersion\":\"v1\",\"data\":{\"payload\":\""
          + payload + "\"},\"kind\":\"Secret\",\"metadata\":{\"annotations\":{},\"name\":\"" + name
          + "\",\"namespace\":\"" + namespace + "\"},\"type\":\"Opaque\"}\n");
    }
    return new SecretBuilder().withMetadata(meta).withType("Opaque").withData(Map.of("payload", payload)).build();
  }

  /** 100 KiB of text, as a dashboard of a monitoring stack. */
  private static ConfigMap configMap(int i, Random random) {
    StringBuilder text = new StringBuilder(100 * 1024);
    while (text.length() < 100 * 1024) {
      text.append("{\"panel\":").append(random.nextInt()).append(",\"expr\":\"rate(http_requests_total[5m])\"}\n");
    }
    text.setLength(100 * 1024);
    ObjectMeta meta = metadata("bulk-dashboard-" + i, NAMESPACES.get(i % NAMESPACES.size()), false,
        fields -> fields.put("f:data", Map.of(".", Map.of(), "f:dashboard.json", Map.of())));
    return new ConfigMapBuilder().withMetadata(meta).withData(Map.of("dashboard.json", text.toString())).build();
  }

  /** Metadata with the managedFields an API server would record. */
  private static ObjectMeta metadata(String name, String namespace, boolean applied,
      Function<Map<String, Object>, Object> fields) {
    Map<String, Object> owned = new java.util.LinkedHashMap<>();
    fields.apply(owned);
    if (applied) {
      owned.put("f:metadata", Map.of("f:annotations", Map.of(".", Map.of(),
          "f:" + OperatorCaches.LAST_APPLIED, Map.of())));
    }
    ManagedFieldsEntry entry = new ManagedFieldsEntryBuilder()
        .withManager(applied ? "kubectl-client-side-apply" : "helm").withOperation("Update").withApiVersion("v1")
        .withFieldsType("FieldsV1").withNewFieldsV1().withAdditionalProperties(owned).endFieldsV1()
        .withTime("2025-01-01T00:00:00Z").build();
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).addToLabels(BULK, "true")
        .withManagedFields(entry).build();
  }
}

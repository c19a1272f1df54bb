package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.EnvVar;
import io.agentdeploy.operator.api.TextSource;
import io.agentdeploy.operator.controller.AgentDeploymentReconciler;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.controller.ClusterControlPlaneReconciler;
import io.agentdeploy.operator.controller.ControlPlaneReconciler;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the running operator's informers hold: the data of the Secrets and ConfigMaps a resource
 * refers to and of nothing else; managedFields and the last-applied annotation of nothing.
 */
class SelectiveCacheTest {
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  /** Metadata as the API server hands it out for an object made with {@code kubectl apply}. */
  private static ObjectMetaBuilder applied(String name, String namespace, String lastApplied) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace)
        .addToAnnotations(OperatorCaches.LAST_APPLIED, lastApplied).addToAnnotations("team", "search")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply")
            .withOperation("Update").withApiVersion("v1").withFieldsType("FieldsV1").withNewFieldsV1()
            .addToAdditionalProperties("f:data", Map.of()).endFieldsV1().build());
  }

  private static Secret appliedSecret(String name, String namespace, String key, String value) {
    String data = Base64.getEncoder().encodeToString(value.getBytes());
    return new SecretBuilder().withMetadata(applied(name, namespace, "{\"data\":{\"" + key + "\":\"" + data
        + "\"}}").build()).withData(Map.of(key, data)).build();
  }

  private static ConfigMap appliedConfigMap(String name, String key, String value) {
    return new ConfigMapBuilder().withMetadata(applied(name, Resources.NS, "{\"data\":{}}").build())
        .withData(Map.of(key, value)).build();
  }

  private static <R extends HasMetadata> Optional<R> cached(OperatorRuntime runtime, String controller,
      Class<R> type, String namespace, String name) {
    return OperatorCaches.secondaries(runtime, controller, type).stream()
        .filter(o -> o.getMetadata().getNamespace().equals(namespace) && o.getMetadata().getName().equals(name))
        .findFirst();
  }

  private static Secret cachedSecret(String controller, String name) {
    return await().atMost(Duration.ofSeconds(10)).until(() -> cached(world.env.runtime(), controller, Secret.class,
        Resources.NS, name), Optional::isPresent).get();
  }

  @Test
  void aSecretCreatedBeforeTheResourceThatUsesItIsReadWholeAndKept() {
    world.env.client.resource(appliedSecret("early-env", Resources.NS, "token", "early-token-value")).create();
    Secret before = cachedSecret(AgentDeploymentReconciler.NAME, "early-env");
    assertFalse(OperatorCaches.hasContent(before), "nothing refers to it yet: metadata only");

    AgentDeployment agd = Resources.dockerAgent("early", SimulatedWorld.CONTROL_PLANE, "registry.example.com/e:1");
    agd.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("EARLY_TOKEN", "early-env", "token"));
    world.apply(agd);
    world.env.awaitReady("early");
    assertTrue(world.remote("early").get(0).path("secrets").toString().contains("early-token-value"),
        "the value read from the API reached the remote");

    Secret after = cachedSecret(AgentDeploymentReconciler.NAME, "early-env");
    assertTrue(OperatorCaches.hasContent(after), "now referenced: kept whole");
    assertFalse(OperatorCaches.hasBookkeeping(after));
    assertEquals("search", after.getMetadata().getAnnotations().get("team"));
  }

  @Test
  void agentDeploymentsAreWatchedOnceByTheirOwnControllerOnly() {
    world.apply(Resources.dockerAgent("watched-once", SimulatedWorld.CONTROL_PLANE, "registry.example.com/w:1"));
    world.env.awaitReady("watched-once");
    OperatorRuntime runtime = world.env.runtime();
    // The control planes' finalizers read the AgentDeployment controller's cache: no watch of their own.
    assertEquals(0, OperatorCaches.informersOf(runtime, ControlPlaneReconciler.NAME, AgentDeployment.class));
    runtime.operator().getRegisteredController(ClusterControlPlaneReconciler.NAME).ifPresent(c -> assertEquals(0,
        OperatorCaches.informersOf(runtime, ClusterControlPlaneReconciler.NAME, AgentDeployment.class)));
    assertTrue(OperatorCaches.primaries(runtime, AgentDeploymentReconciler.NAME).stream()
        .anyMatch(a -> a.getMetadata().getName().equals("watched-once")));
  }

  @Test
  void cachesHoldTheContentOfReferencedObjectsOnlyAndBookkeepingOfNothing() {
    AgentDeployment ax = Resources.agentexAgent("ax-cached", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1");
    ax.setMetadata(applied("ax-cached", Resources.NS, "{\"spec\":{}}").build());
    ax.getSpec().getAgentex().setEnvironmentConfig(TextSource.fromConfigMap("ax-cached-env", "env.yaml"));
    world.apply(ax);
    world.env.awaitAgent("ax-cached", Duration.ofSeconds(20), OperatorHarness.reason(Conditions.SYNCED,
        "ConfigMapNotFound"));
    // Created after the resource that refers to it: cached whole from its first event.
    world.env.client.resource(appliedConfigMap("ax-cached-env", "env.yaml", "env: prod\n")).create();
    world.env.awaitReady("ax-cached");
    ControlPlane appliedCp = Resources.controlPlane("applied-cp", world.sim.baseUrl(), "langsmith-key",
        SimulatedWorld.TENANT);
    appliedCp.setMetadata(applied("applied-cp", Resources.NS, "{\"spec\":{}}").build());
    world.env.client.resource(appliedCp).create();
    world.env.client.resource(appliedSecret("bystander", Resources.NS, "token", "nobody-uses-this")).create();
    world.env.client.resource(appliedConfigMap("bystander", "dashboard.json", "{}")).create();
    cachedSecret(AgentDeploymentReconciler.NAME, "bystander");
    cachedSecret(ControlPlaneReconciler.NAME, "bystander");
    OperatorRuntime runtime = world.env.runtime();
    await().atMost(Duration.ofSeconds(10)).until(() -> cached(runtime, AgentDeploymentReconciler.NAME,
        ConfigMap.class, Resources.NS, "bystander").isPresent());

    ConfigMap referenced = cached(runtime, AgentDeploymentReconciler.NAME, ConfigMap.class, Resources.NS,
        "ax-cached-env").orElseThrow();
    assertEquals(Map.of("env.yaml", "env: prod\n"), referenced.getData());
    assertFalse(OperatorCaches.hasContent(cached(runtime, AgentDeploymentReconciler.NAME, Secret.class,
        Resources.NS, "bystander").orElseThrow()));
    assertFalse(OperatorCaches.hasContent(cached(runtime, AgentDeploymentReconciler.NAME, ConfigMap.class,
        Resources.NS, "bystander").orElseThrow()));

    Set<String> secretsOfControlPlanes = world.env.client.resources(ControlPlane.class).inAnyNamespace().list()
        .getItems().stream().map(cp -> cp.getMetadata().getNamespace() + "/" + cp.getSpec().getApiKeySecretRef()
            .getName()).collect(Collectors.toSet());
    List<AgentDeployment> agents = world.env.client.resources(AgentDeployment.class).inAnyNamespace().list()
        .getItems();
    Set<String> secretsOfAgents = new HashSet<>(secretsOfControlPlanes);
    agents.stream().filter(a -> a.getSpec().getLangsmith() != null && a.getSpec().getLangsmith().getEnv() != null)
        .forEach(a -> a.getSpec().getLangsmith().getEnv().stream().map(EnvVar::getValueFrom).filter(Objects::nonNull)
            .forEach(v -> secretsOfAgents.add(a.getMetadata().getNamespace() + "/" + v.getSecretKeyRef().getName())));
    Set<String> configMapsOfAgents = agents.stream().filter(a -> a.getSpec().getAgentex() != null)
        .flatMap(a -> Stream.of(a.getSpec().getAgentex().getManifest(), a.getSpec().getAgentex().getEnvironmentConfig())
            .filter(t -> t != null && t.getConfigMapKeyRef() != null)
            .map(t -> a.getMetadata().getNamespace() + "/" + t.getConfigMapKeyRef().getName()))
        .collect(Collectors.toSet());

    assertContentOnlyIn(OperatorCaches.secondaries(runtime, AgentDeploymentReconciler.NAME, Secret.class),
        secretsOfAgents);
    assertContentOnlyIn(OperatorCaches.secondaries(runtime, ControlPlaneReconciler.NAME, Secret.class),
        secretsOfControlPlanes);
    assertContentOnlyIn(OperatorCaches.secondaries(runtime, AgentDeploymentReconciler.NAME, ConfigMap.class),
        configMapsOfAgents);
    await().atMost(Duration.ofSeconds(10)).until(() -> OperatorCaches.secondaries(runtime,
        AgentDeploymentReconciler.NAME, ControlPlane.class).stream()
        .anyMatch(c -> c.getMetadata().getName().equals("applied-cp")));
    for (String controller : List.of(AgentDeploymentReconciler.NAME, ControlPlaneReconciler.NAME)) {
      List<HasMetadata> resources = Stream.of(OperatorCaches.primaries(runtime, controller),
          OperatorCaches.secondaries(runtime, controller, AgentDeployment.class),
          OperatorCaches.secondaries(runtime, controller, ControlPlane.class)).flatMap(List::stream)
          .map(HasMetadata.class::cast).toList();
      assertTrue(resources.stream().anyMatch(r -> r.getMetadata().getName().startsWith("ax-cached")
          || r.getMetadata().getName().equals("applied-cp")), controller);
      for (HasMetadata resource : resources) {
        assertFalse(OperatorCaches.hasBookkeeping(resource), controller + " cache: " + resource.getMetadata());
      }
    }
    AgentDeployment cachedAgent = (AgentDeployment) OperatorCaches.primaries(runtime, AgentDeploymentReconciler.NAME)
        .stream().filter(a -> a.getMetadata().getName().equals("ax-cached")).findFirst().orElseThrow();
    assertEquals("search", cachedAgent.getMetadata().getAnnotations().get("team"), "other annotations stay");
  }

  private static void assertContentOnlyIn(List<? extends HasMetadata> cachedObjects, Set<String> referenced) {
    assertFalse(cachedObjects.isEmpty());
    for (HasMetadata o : cachedObjects) {
      String key = o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
      assertFalse(OperatorCaches.hasBookkeeping(o), key + " carries managedFields or last-applied");
      assertTrue(!OperatorCaches.hasContent(o) || referenced.contains(key), key + " is cached with its data");
    }
  }

  /**
   * Each watched namespace has an informer and a store of its own. With one store shared by the
   * informers of several namespaces (JOSDK hands the same store to each), every informer listed
   * the objects of all namespaces as its own: a ControlPlane check released the API-key
   * finalizer of Secrets in other namespaces, and each informer's re-list (at start, after an
   * expired watch) dropped the other namespaces' objects from the store.
   */
  @Test
  void everyWatchedNamespaceHasItsOwnCache() {
    Set<String> namespaces = Set.of(Resources.NS, "team-b");
    try (SimulatedWorld multi = new SimulatedWorld(SimulatedWorld.fastSimulator(),
        OperatorHarness.FAST.withNamespaces(namespaces))) {
      multi.env.client.resource(appliedSecret("team-b-key", "team-b", "apiKey", SimulatedWorld.API_KEY)).create();
      ControlPlane teamB = Resources.controlPlane("team-b-cp", multi.sim.baseUrl(), "team-b-key", SimulatedWorld.TENANT);
      teamB.getMetadata().setNamespace("team-b");
      multi.env.client.resource(teamB).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> multi.env.client.resources(ControlPlane.class)
          .inNamespace("team-b").withName("team-b-cp").get(), cp -> cp.getStatus() != null
          && Conditions.isTrue(cp.getStatus().getConditions(), Conditions.READY));
      await().atMost(Duration.ofSeconds(10)).until(() -> guarded(multi, "team-b", "team-b-key"));
      AgentDeployment agd = Resources.dockerAgent("multi", SimulatedWorld.CONTROL_PLANE, "registry.example.com/m:1");
      multi.apply(agd);
      multi.env.awaitReady("multi");

      long secrets = namespaces.stream().mapToLong(ns -> multi.env.client.secrets().inNamespace(ns).list().getItems()
          .size()).sum();
      // The AgentDeployment controller also caches the operator's own namespace, where
      // ClusterControlPlane keys live (here the client's namespace: the hash key Secret).
      String operatorNamespace = multi.env.client.getNamespace();
      long keys = multi.env.client.secrets().inNamespace(operatorNamespace).list().getItems().size();
      assertEquals(secrets + keys, OperatorCaches.secondaries(multi.env.runtime(), AgentDeploymentReconciler.NAME,
          Secret.class).size(), "agentdeployment: each Secret cached once");
      assertEquals(secrets, OperatorCaches.secondaries(multi.env.runtime(), ControlPlaneReconciler.NAME,
          Secret.class).size(), "controlplane: each Secret cached once");
      // Past a resync the ControlPlane of "agents" checks again and releases the Secrets of its
      // namespace that no ControlPlane there uses: never one of "team-b".
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
          .until(() -> guarded(multi, "team-b", "team-b-key"));
    }
  }

  private static boolean guarded(SimulatedWorld world, String namespace, String secret) {
    List<String> finalizers = world.env.client.secrets().inNamespace(namespace).withName(secret).get().getMetadata()
        .getFinalizers();
    return finalizers != null && finalizers.contains("agentdeploy.io/credentials-in-use");
  }
}

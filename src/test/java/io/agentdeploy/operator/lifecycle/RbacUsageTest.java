package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.config.LeaderElection;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.controller.CredentialGuard;
import io.agentdeploy.operator.rbac.ApiRequestRecorder;
import io.agentdeploy.operator.rbac.ChartRbac;
import io.agentdeploy.operator.rbac.Grant;
import io.agentdeploy.operator.rbac.RenderedChart;
import io.agentdeploy.operator.rbac.RequestAttributes;
import io.agentdeploy.operator.rbac.Usage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * RBAC equal to use. The operator runs a lifecycle broad enough to send every kind of request it
 * makes (create, edit, delete of both providers, env from a Secret and configuration from a
 * ConfigMap, ControlPlane checks and deletion with the credentials finalizer, events, leader
 * election with the Lease released at shutdown) through a
 * client that records each request. Then, for the same watch mode, the chart's rendered RBAC for
 * the operator's ServiceAccount must allow every request (usage ⊆ grants) and every permission it
 * grants must have been used or be on {@link #NOT_EXERCISED} (grants ⊆ usage).
 */
class RbacUsageTest {
  /**
   * Permissions the operator needs that this lifecycle does not send, each with why and where
   * (verb and group/resource; any scope). An entry that is no longer granted fails the test too.
   * The server-side-apply path (AGENTDEPLOY_SERVER_SIDE_APPLY=true, the chart's setting; the mock
   * has no server-side apply) needs no entry: it changes only how JOSDK adds its finalizer (an
   * apply patch instead of a JSON patch, the same verb on the same resource); status is written
   * with an update in both modes and the finalizer removed with a JSON patch in both.
   */
  private static final Map<String, String> NOT_EXERCISED = Map.of(
      // Only after a conflict: JOSDK 5.2.3 ReconciliationDispatcher.conflictRetryingPatch re-reads
      // the resource (CustomResourceFacade.getResource) when its finalizer patch gets a 409 or 422.
      "get agentdeploy.io/agentdeployments", "JOSDK re-read after a conflicting finalizer patch",
      "get agentdeploy.io/controlplanes", "JOSDK re-read after a conflicting finalizer patch",
      "get agentdeploy.io/clustercontrolplanes", "JOSDK re-read after a conflicting finalizer patch",
      // Never sent: JOSDK 5.2.3 LeaderElectionManager.checkLeaseAccess refuses to start leader
      // election unless a SelfSubjectRulesReview shows create, update and get on the Lease;
      // fabric8's elector (ResourceLock.update) and LeaseRelease write with patch.
      "update coordination.k8s.io/leases", "JOSDK's leader-election startup check requires it");

  @Test
  void allNamespacesUseEqualsTheClusterRole() {
    assertUsageEqualsGrants(Set.of(), Map.of("leaderElection.enabled", true));
  }

  @Test
  void watchNamespacesUseEqualsTheRolesInThoseNamespaces() {
    assertUsageEqualsGrants(Set.of(Resources.NS), Map.of("watchNamespaces[0]", Resources.NS,
        "leaderElection.enabled", true));
  }

  private static void assertUsageEqualsGrants(Set<String> namespaces, Map<String, Object> chartValues) {
    long started = System.nanoTime();
    List<RequestAttributes> used = Usage.of(lifecycle(namespaces));
    Set<Grant> grants = ChartRbac.of(RenderedChart.render(chartValues).stream().filter(d -> !RenderedChart.isHook(d))
        .toList(), RenderedChart.FULLNAME, RenderedChart.NAMESPACE).grants();
    System.out.printf("RBAC usage (%s): %d requests, %d distinct permissions used, %d granted, %d s%n",
        namespaces.isEmpty() ? "all namespaces" : namespaces, used.size(),
        grants.stream().filter(g -> used.stream().anyMatch(g::allows)).count(), grants.size(),
        (System.nanoTime() - started) / 1_000_000_000);

    assertEquals(Set.of(), Usage.denied(used, grants), "the operator sends requests the chart does not allow");
    assertEquals(Set.of(), Usage.unused(used, grants, NOT_EXERCISED.keySet()),
        "the chart grants what the operator never uses (or add it to NOT_EXERCISED with why and where)");
    Set<String> stale = new TreeSet<>(NOT_EXERCISED.keySet());
    grants.forEach(g -> stale.remove(Usage.key(g)));
    assertEquals(Set.of(), stale, "NOT_EXERCISED lists permissions the chart no longer grants");

    // JOSDK's startup check, which the mock's canned SelfSubjectRulesReview cannot judge.
    for (String verb : List.of("create", "update", "get")) {
      RequestAttributes needed = new RequestAttributes(verb, "coordination.k8s.io", "leases", RenderedChart.NAMESPACE,
          verb.equals("create") ? null : RenderedChart.FULLNAME);
      assertTrue(grants.stream().anyMatch(g -> g.allows(needed)), "JOSDK's Lease access check needs " + needed);
    }
  }

  /** The lifecycle, with leader election on as the chart runs it; every request the operator sent. */
  private static List<ApiRequestRecorder.Sent> lifecycle(Set<String> namespaces) {
    ApiRequestRecorder recorder = new ApiRequestRecorder();
    OperatorConfig config = OperatorHarness.FAST.withNamespaces(namespaces)
        .withOperatorNamespace(RenderedChart.NAMESPACE).withHashKeySecret(RenderedChart.FULLNAME + "-hash-key")
        .withLeaderElection(new LeaderElection(true, RenderedChart.FULLNAME, RenderedChart.NAMESPACE, "rbac-test",
            Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(300)));
    try (SimulatedWorld world = new SimulatedWorld(SimulatedWorld.fastSimulator(), config,
        kube -> recorder.clientLike(kube.newClient()))) {
      world.env.client.resource(Resources.secret("agent-env", Map.of("token", "t-1"))).create();
      var langsmith = Resources.dockerAgent("rbac-ls", SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1");
      langsmith.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("TOKEN", "agent-env", "token"));
      // The ConfigMap exists (and its informer has seen it unreferenced, content not cached) well
      // before a resource refers to it: the first reference reads it with a get, every time.
      world.env.client.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
          .withName("agent-config").withNamespace(Resources.NS).endMetadata()
          .withData(Map.of("env.yaml", "env: prod\nreplicas: 1\n")).build()).create();
      world.apply(langsmith);
      world.env.awaitReady("rbac-ls");
      var agentex = Resources.agentexAgent("rbac-ax", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1");
      agentex.getSpec().getAgentex().setEnvironmentConfig(
          io.agentdeploy.operator.api.TextSource.fromConfigMap("agent-config", "env.yaml"));
      world.apply(agentex);
      world.env.awaitReady("rbac-ax");
      assertTrue(world.env.eventCount("rbac-ls", "Created") >= 1, "events are written");
      world.edit("rbac-ls", a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/a:2");
        return a;
      });
      world.env.awaitAgent("rbac-ls", Duration.ofSeconds(30), a -> OperatorHarness.readyNow(a)
          && a.getMetadata().getGeneration() == 2);
      clusterControlPlane(world);
      world.delete("rbac-ls");
      world.delete("rbac-ax");
      world.env.awaitGone("rbac-ls");
      world.env.awaitGone("rbac-ax");
      assertTrue(world.remote("rbac-ls").isEmpty(), "the remote deployment was deleted");
      // ControlPlane deletion releases the API-key Secret's finalizer once no ControlPlane names it.
      assertTrue(hasFinalizer(world.env.client.secrets().inNamespace(Resources.NS).withName("langsmith-key").get()));
      for (String cp : List.of(SimulatedWorld.AGENTEX_CONTROL_PLANE, SimulatedWorld.CONTROL_PLANE)) {
        world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS).withName(cp).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> world.env.controlPlane(cp) == null);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> !hasFinalizer(world.env.client.secrets()
          .inNamespace(Resources.NS).withName("langsmith-key").get()));
      // A clean stop releases the Lease (what makes an upgrade's hand-over immediate).
      world.env.stopOperator();
      Lease lease = world.env.client.leases().inNamespace(RenderedChart.NAMESPACE).withName(RenderedChart.FULLNAME)
          .get();
      assertEquals("", lease.getSpec().getHolderIdentity(), "the Lease is released on shutdown");
    }
    return recorder.sent();
  }

  /** A ClusterControlPlane with its key in the operator's namespace, used, then deleted. */
  private static void clusterControlPlane(SimulatedWorld world) {
    var client = world.env.client;
    client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(Resources.NS)
        .addToLabels("team", "rbac").endMetadata().build()).createOr(existing -> existing.update());
    client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("shared-key")
        .withNamespace(RenderedChart.NAMESPACE).endMetadata().withStringData(Map.of("apiKey", SimulatedWorld.API_KEY))
        .build()).create();
    var cp = new io.agentdeploy.operator.api.ClusterControlPlane();
    cp.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("shared").build());
    var spec = new io.agentdeploy.operator.api.ClusterControlPlaneSpec();
    spec.setProvider(io.agentdeploy.operator.api.Provider.LANGSMITH);
    spec.setBaseUrl(world.sim.baseUrl());
    spec.setApiKeySecretRef(new io.agentdeploy.operator.api.SecretKeySelector("shared-key", "apiKey"));
    spec.setTenantId(SimulatedWorld.TENANT);
    spec.setAllowedNamespaces(new io.agentdeploy.operator.api.NamespaceAllowList(List.of(),
        new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().addToMatchLabels("team", "rbac").build()));
    cp.setSpec(spec);
    client.resource(cp).create();
    var agent = Resources.dockerAgent("rbac-ccp", "shared", "registry.example.com/c:1");
    agent.getSpec().setControlPlaneRef(new io.agentdeploy.operator.api.ControlPlaneReference("shared",
        io.agentdeploy.operator.api.ControlPlaneKind.ClusterControlPlane));
    world.apply(agent);
    world.env.awaitReady("rbac-ccp");
    world.delete("rbac-ccp");
    world.env.awaitGone("rbac-ccp");
    client.resources(io.agentdeploy.operator.api.ClusterControlPlane.class).withName("shared").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(
        io.agentdeploy.operator.api.ClusterControlPlane.class).withName("shared").get() == null);
  }

  private static boolean hasFinalizer(HasMetadata secret) {
    return secret.getMetadata().getFinalizers() != null
        && secret.getMetadata().getFinalizers().contains(CredentialGuard.FINALIZER);
  }
}

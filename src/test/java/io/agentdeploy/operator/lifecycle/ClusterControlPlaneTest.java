package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ClusterControlPlaneSpec;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.api.ControlPlaneReference;
import io.agentdeploy.operator.api.NamespaceAllowList;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.controller.Annotations;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A ClusterControlPlane shared by namespaces: its allow-list (names, labels, a label change), its
 * key in the operator's namespace (rotation without remote writes), and its deletion while in use.
 * The resync is long, so every reconcile the test sees comes from a watch or an annotation.
 */
class ClusterControlPlaneTest {
  private static final String OPERATOR_NS = "agentdeploy-system";
  private static final String KEY_1 = "lsv2_sk_cluster_key_0001";
  private static final String KEY_2 = "lsv2_sk_cluster_key_0002";
  private static final String KEY_SECRET = "shared-langsmith-key";

  private static Simulator sim;
  private static OperatorHarness env;

  @BeforeAll
  static void start() {
    sim = Simulator.start(SimulatedWorld.fastSimulator().withApiKey(KEY_1));
    env = new OperatorHarness(OperatorHarness.FAST.withOperatorNamespace(OPERATOR_NS)
        .withTimings(Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofSeconds(20),
            Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(2)));
    namespace("team-a", Map.of());
    namespace("team-b", Map.of("tier", "gold"));
    namespace("team-c", Map.of());
    namespace("team-d", Map.of());
    env.client.resource(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(KEY_SECRET)
        .withNamespace(OPERATOR_NS).build()).withStringData(Map.of("apiKey", KEY_1)).build()).create();
    env.client.resource(clusterControlPlane("shared", new NamespaceAllowList(List.of("team-a"),
        new LabelSelectorBuilder().addToMatchLabels("tier", "gold").build()))).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> ready(env.client.resources(ClusterControlPlane.class)
        .withName("shared").get()));
  }

  @AfterAll
  static void stop() {
    try {
      env.close();
    } finally {
      sim.close();
    }
  }

  @Test
  void allowedNamespacesGoReadyAndAnotherNamespaceSendsNothing() {
    apply(agent("team-a", "ccp-a1", "shared"));
    apply(agent("team-b", "ccp-b1", "shared"));
    apply(agent("team-c", "ccp-c1", "shared"));

    awaitAgent("team-a", "ccp-a1", OperatorHarness::readyNow);
    awaitAgent("team-b", "ccp-b1", OperatorHarness::readyNow);
    AgentDeployment refused = awaitAgent("team-c", "ccp-c1", OperatorHarness.reason(Conditions.READY,
        "NamespaceNotAllowed"));

    assertTrue(message(refused, Conditions.READY).contains("does not allow namespace team-c"),
        message(refused, Conditions.READY));
    assertEquals("Pending", refused.getStatus().getPhase());
    assertEquals(List.of(), requestsNaming("ccp-c1"), "nothing about a refused namespace reaches the remote");

    env.client.resources(AgentDeployment.class).inNamespace("team-c").withName("ccp-c1").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> env.client.resources(AgentDeployment.class)
        .inNamespace("team-c").withName("ccp-c1").get() == null);
    assertEquals(List.of(), requestsNaming("ccp-c1"), "nor does its deletion");
  }

  @Test
  void aLabelChangeReEvaluatesTheAllowList() {
    apply(agent("team-d", "ccp-d1", "shared"));
    awaitAgent("team-d", "ccp-d1", OperatorHarness.reason(Conditions.READY, "NamespaceNotAllowed"));

    env.client.namespaces().withName("team-d").edit(ns -> {
      ns.getMetadata().getLabels().put("tier", "gold");
      return ns;
    });

    awaitAgent("team-d", "ccp-d1", OperatorHarness::readyNow);
    assertEquals(1, sim.requests().matching(r -> r.operation() == SimOperation.CREATE_DEPLOYMENT
        && r.requestBody().contains("\"name\":\"ccp-d1\"")).size());
  }

  @Test
  void aNamespaceTakenOffTheListMayDeleteWhatItOwnsAndNothingElse() {
    namespace("team-e", Map.of("tier", "gold"));
    apply(agent("team-e", "ccp-e1", "shared"));
    AgentDeployment ready = awaitAgent("team-e", "ccp-e1", OperatorHarness::readyNow);
    String id = ready.getStatus().getDeploymentId();

    env.client.namespaces().withName("team-e").edit(ns -> {
      ns.getMetadata().getLabels().remove("tier");
      return ns;
    });
    awaitAgent("team-e", "ccp-e1", OperatorHarness.reason(Conditions.SYNCED, "NamespaceNotAllowed"));
    Instant removed = Instant.now();
    env.client.resources(AgentDeployment.class).inNamespace("team-e").withName("ccp-e1").edit(a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:v2");
      return a;
    });
    awaitAgent("team-e", "ccp-e1", a -> a.getMetadata().getGeneration() == 2
        && OperatorHarness.reason(Conditions.SYNCED, "NamespaceNotAllowed").test(a));
    assertEquals(List.of(), writesSince(removed, id), "an edit after removal is not applied");

    env.client.resources(AgentDeployment.class).inNamespace("team-e").withName("ccp-e1").delete();

    await().atMost(Duration.ofSeconds(30)).until(() -> env.client.resources(AgentDeployment.class)
        .inNamespace("team-e").withName("ccp-e1").get() == null);
    List<RecordedRequest> writes = writesSince(removed, id);
    assertEquals(List.of(SimOperation.DELETE_DEPLOYMENT), writes.stream().map(RecordedRequest::operation).toList(),
        "only its own deployment is deleted");
  }

  @Test
  void rotatingTheKeySendsNoWriteAndTheControlPlaneChecksOnce() {
    apply(agent("team-a", "ccp-rot1", "shared"));
    apply(agent("team-b", "ccp-rot2", "shared"));
    awaitAgent("team-a", "ccp-rot1", OperatorHarness::readyNow);
    awaitAgent("team-b", "ccp-rot2", OperatorHarness::readyNow);
    sim.acceptApiKeys(Set.of(KEY_1, KEY_2));
    Instant rotated = Instant.now();

    env.client.secrets().inNamespace(OPERATOR_NS).withName(KEY_SECRET).edit(s -> {
      s.setData(null);
      s.setStringData(Map.of("apiKey", KEY_2));
      return s;
    });

    // The ClusterControlPlane re-checks its access with the new key, once.
    await().atMost(Duration.ofSeconds(10)).until(() -> accessChecksSince(rotated) >= 1);
    sim.acceptApiKeys(Set.of(KEY_2));
    Instant onlyNewKey = Instant.now();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> accessChecksSince(rotated) == 1);
    // Each resource uses the new key at its next call (here, a requested reconcile).
    for (String[] agent : List.of(new String[] {"team-a", "ccp-rot1"}, new String[] {"team-b", "ccp-rot2"})) {
      String at = Instant.now().toString();
      env.client.resources(AgentDeployment.class).inNamespace(agent[0]).withName(agent[1]).edit(a -> {
        a.getMetadata().getAnnotations().put(Annotations.RECONCILE_REQUESTED_AT, at);
        return a;
      });
      awaitAgent(agent[0], agent[1], a -> at.equals(a.getStatus().getReconcileRequestHandled())
          && OperatorHarness.readyNow(a));
    }
    List<RecordedRequest> since = sim.requests().matching(r -> !r.time().isBefore(onlyNewKey));
    assertTrue(since.stream().anyMatch(r -> r.operation() == SimOperation.GET_DEPLOYMENT),
        "the resources read the remote after the rotation");
    assertEquals(List.of(), since.stream().filter(r -> r.status() == 401 || r.status() == 403).toList(),
        "no call used the old key");
    assertEquals(List.of(), sim.requests().matching(r -> !r.time().isBefore(rotated) && r.operation().isWrite()),
        "a rotation sends no POST, PATCH or DELETE");
    // An event about a cluster-scoped object lives in "default" and names no namespace (what the API server accepts).
    var rotatedEvents = await().atMost(Duration.ofSeconds(10)).until(() -> env.client.v1().events()
        .inNamespace("default").list().getItems().stream().filter(e -> "KeyRotated".equals(e.getReason())
            && "ClusterControlPlane".equals(e.getInvolvedObject().getKind())
            && "shared".equals(e.getInvolvedObject().getName())).toList(), l -> !l.isEmpty());
    assertEquals(1, rotatedEvents.size());
    assertEquals(null, rotatedEvents.get(0).getInvolvedObject().getNamespace());
    assertEquals("Normal", rotatedEvents.get(0).getType());
  }

  @Test
  void anInvalidSelectorIsReportedOnTheControlPlane() {
    env.client.resource(clusterControlPlane("bad-selector", new NamespaceAllowList(List.of(),
        new LabelSelectorBuilder().addNewMatchExpression().withKey("tier").withOperator("Has")
            .withValues("gold").endMatchExpression().build()))).create();

    ClusterControlPlane cp = await().atMost(Duration.ofSeconds(10)).until(() -> env.client
        .resources(ClusterControlPlane.class).withName("bad-selector").get(), c -> "InvalidSelector".equals(
            condition(c).map(Condition::getReason).orElse(null)));

    assertTrue(condition(cp).orElseThrow().getMessage().contains("\"Has\""), condition(cp).orElseThrow().getMessage());
  }

  @Test
  void deletionWaitsForTheAgentDeploymentsOfEveryNamespace() {
    env.client.resource(clusterControlPlane("retiring", new NamespaceAllowList(List.of("team-a", "team-b"), null)))
        .create();
    await().atMost(Duration.ofSeconds(20)).until(() -> ready(env.client.resources(ClusterControlPlane.class)
        .withName("retiring").get()));
    apply(agent("team-a", "ccp-ret1", "retiring"));
    apply(agent("team-b", "ccp-ret2", "retiring"));
    awaitAgent("team-a", "ccp-ret1", OperatorHarness::readyNow);
    awaitAgent("team-b", "ccp-ret2", OperatorHarness::readyNow);

    env.client.resources(ClusterControlPlane.class).withName("retiring").delete();

    ClusterControlPlane kept = await().atMost(Duration.ofSeconds(10)).until(() -> env.client
        .resources(ClusterControlPlane.class).withName("retiring").get(), c -> c != null && c.getStatus() != null
        && Conditions.find(c.getStatus().getConditions(), "Deleting").isPresent());
    String message = Conditions.find(kept.getStatus().getConditions(), "Deleting").orElseThrow().getMessage();
    assertTrue(message.contains("team-a/ccp-ret1") && message.contains("team-b/ccp-ret2"), message);

    env.client.resources(AgentDeployment.class).inNamespace("team-a").withName("ccp-ret1").delete();
    env.client.resources(AgentDeployment.class).inNamespace("team-b").withName("ccp-ret2").delete();

    await().atMost(Duration.ofSeconds(30)).until(() -> env.client.resources(ClusterControlPlane.class)
        .withName("retiring").get() == null);
    assertEquals(List.of(), sim.langsmith().deployments().stream().filter(d -> d.path("name").asText()
        .startsWith("ccp-ret")).toList(), "both remote deployments were deleted before the control plane went");
  }

  @Test
  void editingItsAccountIsGuardedAsForAControlPlane() {
    env.client.resource(clusterControlPlane("moving", new NamespaceAllowList(List.of("team-a"), null))).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> ready(env.client.resources(ClusterControlPlane.class)
        .withName("moving").get()));
    apply(agent("team-a", "ccp-mv1", "moving"));
    String id = awaitAgent("team-a", "ccp-mv1", OperatorHarness::readyNow).getStatus().getDeploymentId();
    Instant moved = Instant.now();

    env.client.resources(ClusterControlPlane.class).withName("moving").edit(cp -> {
      cp.getSpec().setTenantId("9e2b7c1d-0000-4000-8000-000000000001");
      return cp;
    });

    AgentDeployment guarded = awaitAgent("team-a", "ccp-mv1", OperatorHarness.reason(Conditions.SYNCED,
        "ControlPlaneChanged"));
    assertTrue(message(guarded, Conditions.SYNCED).contains("ClusterControlPlane moving"),
        message(guarded, Conditions.SYNCED));
    assertEquals(List.of(), writesSince(moved, id), "nothing is created in the other account");
  }

  private static void namespace(String name, Map<String, String> labels) {
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).withLabels(new java.util.HashMap<>(labels))
        .endMetadata().build();
    env.client.resource(ns).create();
  }

  private static ClusterControlPlane clusterControlPlane(String name, NamespaceAllowList allowed) {
    ClusterControlPlane cp = new ClusterControlPlane();
    cp.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ClusterControlPlaneSpec spec = new ClusterControlPlaneSpec();
    spec.setProvider(Provider.LANGSMITH);
    spec.setBaseUrl(sim.baseUrl());
    spec.setApiKeySecretRef(new SecretKeySelector(KEY_SECRET, "apiKey"));
    spec.setTenantId(SimulatedWorld.TENANT);
    spec.setAllowedNamespaces(allowed);
    cp.setSpec(spec);
    return cp;
  }

  private static AgentDeployment agent(String namespace, String name, String clusterControlPlane) {
    AgentDeployment agd = Resources.dockerAgent(name, clusterControlPlane, "registry.example.com/agent:v1");
    agd.getMetadata().setNamespace(namespace);
    agd.getMetadata().setAnnotations(new java.util.HashMap<>());
    agd.getSpec().setControlPlaneRef(new ControlPlaneReference(clusterControlPlane,
        ControlPlaneKind.ClusterControlPlane));
    return agd;
  }

  private static void apply(AgentDeployment agd) {
    env.client.resource(agd).create();
  }

  private static AgentDeployment awaitAgent(String namespace, String name, Predicate<AgentDeployment> until) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> env.client.resources(AgentDeployment.class).inNamespace(namespace).withName(name).get(),
            a -> a != null && a.getStatus() != null && until.test(a));
  }

  private static String message(AgentDeployment a, String type) {
    return OperatorHarness.condition(a, type).map(Condition::getMessage).orElse("");
  }

  private static Optional<Condition> condition(ClusterControlPlane cp) {
    return cp == null || cp.getStatus() == null ? Optional.empty()
        : Conditions.find(cp.getStatus().getConditions(), Conditions.READY);
  }

  private static boolean ready(ClusterControlPlane cp) {
    return condition(cp).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static List<RecordedRequest> requestsNaming(String name) {
    return sim.requests().matching(r -> (r.requestBody() != null && r.requestBody().contains("\"" + name + "\""))
        || (r.query() != null && r.query().contains(name)));
  }

  private static List<RecordedRequest> writesSince(Instant since, String deploymentId) {
    assertNotNull(deploymentId);
    return sim.requests().matching(r -> !r.time().isBefore(since) && r.operation().isWrite()
        && (r.path().contains(deploymentId) || r.operation() == SimOperation.CREATE_DEPLOYMENT));
  }

  private static long accessChecksSince(Instant since) {
    return sim.requests().matching(r -> !r.time().isBefore(since) && r.operation() == SimOperation.LIST_DEPLOYMENTS
        && "limit=1".equals(r.query())).size();
  }
}

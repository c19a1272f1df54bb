package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentexPreview;
import io.agentdeploy.operator.api.DeletionPolicy;
import io.agentdeploy.operator.api.TextSource;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.FailureRule;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Agentex deployments through the same operator (and in the same instance as LangSmith ones). */
class AgentexLifecycleTest {
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatorConfig.defaults()
        .withTimings(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(300))
        .withFailureRules(List.of(FailureRule.agentexImageTag("^broken$"))), OperatorHarness.FAST);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @AfterEach
  void contract() {
    world.sim.faults().clear();
    world.assertContract();
  }

  private static AgentDeployment agent(String name, String tag) {
    return Resources.agentexAgent(name, SimulatedWorld.AGENTEX_CONTROL_PLANE, tag);
  }

  private static String status(JsonNode deploy) {
    return deploy.path("status").asText();
  }

  private static Map<String, String> statuses(String agent) {
    return world.deploys(agent).stream().collect(Collectors.toMap(d -> d.path("id").asText(), d -> status(d)));
  }

  /** Newest-first pages of the account's deploys (lookups and release checks; not the key check's limit=1 list). */
  private static long accountPagesSince(java.time.Instant since) {
    return world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_LIST && r.time().isAfter(since)
        && r.query() != null && r.query().contains("sort_order=desc")).size();
  }

  @Test
  void bothProvidersGoToReadyInOneOperator() {
    world.apply(agent("ax-ready", "1"));
    world.apply(Resources.dockerAgent("ls-next-to-agentex", SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1"));
    AgentDeployment ready = world.env.awaitReady("ax-ready");
    world.env.awaitReady("ls-next-to-agentex");
    assertEquals("COMPLETED", ready.getStatus().getRevisionStatus());
    assertEquals(List.of(ready.getStatus().getDeploymentId()), historyIds(ready));
    assertEquals(1, world.agentexCount("ax-ready", SimOperation.AGENTEX_CREATE));
    var post = world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_CREATE).get(0);
    assertEquals("acct-test", post.headers().get("x-selected-account-id"));
  }

  @Test
  void editIsOneNewDeployThatSupersedesTheOldOne() {
    java.time.Instant applied = java.time.Instant.now();
    world.apply(agent("ax-edit", "1"));
    String first = world.env.awaitReady("ax-edit").getStatus().getDeploymentId();
    java.time.Instant edited = java.time.Instant.now();
    assertEquals(1, accountPagesSince(applied), "a first create pages the account once (its release's live deploys)");
    world.edit("ax-edit", a -> {
      a.getSpec().getAgentex().getImage().setTag("2");
      return a;
    });
    AgentDeployment second = world.env.awaitAgent("ax-edit", Duration.ofSeconds(20),
        a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
    assertEquals(0, accountPagesSince(edited), "an edit with no open record looks nothing up: it deploys");
    String id = second.getStatus().getDeploymentId();
    assertTrue(!first.equals(id));
    await().atMost(Duration.ofSeconds(5)).until(() -> "SUPERSEDED".equals(statuses("ax-edit").get(first)));
    assertEquals(2, world.agentexCount("ax-edit", SimOperation.AGENTEX_CREATE));
    assertEquals(List.of(first, id), historyIds(second));
    await().atMost(Duration.ofSeconds(5)).until(() -> world.env.eventCount("ax-edit", "Updated") == 1);
  }

  @Test
  void failedDeployShowsTheRemoteWarningOnceEvenAcrossRestarts() throws Exception {
    world.apply(agent("ax-broken", "broken"));
    AgentDeployment failed = world.env.awaitAgent("ax-broken", Duration.ofSeconds(20),
        reason(Conditions.READY, "RevisionFailed"));
    String message = condition(failed, Conditions.READY).get().getMessage();
    assertTrue(message.contains("FAILED") && message.contains("BackOff"), message);
    await().atMost(Duration.ofSeconds(5)).until(() -> world.env.eventCount("ax-broken", "RemoteBackOff") == 1);
    world.env.restartOperator();
    Thread.sleep(4_000); // longer than a resync (3 s): the remote events are read again
    assertEquals(1, world.env.eventCount("ax-broken", "RemoteBackOff"), "not reported again after a restart");
    assertEquals(0, world.env.eventCount("ax-broken", "RemoteScheduled"), "remote progress is status, not an Event");
    assertEquals(1, world.agentexCount("ax-broken", SimOperation.AGENTEX_CREATE), "no retry of a failed deploy");
  }

  @Test
  void restartBetweenPostAndStatusWriteMakesNoSecondDeploy() {
    world.sim.faults().next(SimOperation.AGENTEX_CREATE, 1, new Fault.SaveThenFail(0));
    world.env.stopOperator();
    world.apply(agent("ax-crash", "1"));
    world.env.startOperator();
    await().atMost(Duration.ofSeconds(10)).until(() -> world.deploys("ax-crash").size() == 1);
    world.env.restartOperator();
    AgentDeployment ready = world.env.awaitReady("ax-crash");
    assertEquals(1, world.deploys("ax-crash").size());
    assertEquals(1, world.agentexCount("ax-crash", SimOperation.AGENTEX_CREATE));
    assertEquals(world.deploys("ax-crash").get(0).path("id").asText(), ready.getStatus().getDeploymentId());
  }

  @Test
  void deleteTearsDownEveryDeployItCreatedIncludingAnOlderOneStillRunning() {
    world.apply(agent("ax-delete", "1"));
    String running = world.env.awaitReady("ax-delete").getStatus().getDeploymentId();
    world.edit("ax-delete", a -> {
      a.getSpec().getAgentex().getImage().setTag("broken");
      return a;
    });
    world.env.awaitAgent("ax-delete", Duration.ofSeconds(20), a -> a.getMetadata().getGeneration() == 2
        && reason(Conditions.READY, "RevisionFailed").test(a));
    assertEquals("COMPLETED", statuses("ax-delete").get(running), "a failed newer deploy leaves the old release");
    world.delete("ax-delete");
    world.env.awaitGone("ax-delete");
    assertEquals(Set.of("DELETED"), Set.copyOf(statuses("ax-delete").values()));
    assertEquals(2, world.agentexCount("ax-delete", SimOperation.AGENTEX_DELETE));
  }

  @Test
  void teardownFailureIsRetriedAndTheFinalizerKept() {
    world.apply(agent("ax-teardown", "1"));
    String id = world.env.awaitReady("ax-teardown").getStatus().getDeploymentId();
    // The transport tries a DELETE three times per reconcile: six failures fail two reconciles.
    world.sim.faults().next(SimOperation.AGENTEX_DELETE, 6, new Fault.Status(500));
    world.delete("ax-teardown");
    AgentDeployment stuck = world.env.awaitAgent("ax-teardown", Duration.ofSeconds(10),
        reason(Conditions.SYNCED, "DeleteFailed"));
    assertTrue(stuck.getMetadata().getFinalizers().contains("agentdeploy.io/finalizer"));
    world.env.awaitGone("ax-teardown");
    assertEquals("DELETED", statuses("ax-teardown").get(id));
    assertEquals(7, world.agentexCount("ax-teardown", SimOperation.AGENTEX_DELETE), "6 failures, then success");
  }

  @Test
  void orphanLeavesTheDeployRunning() {
    AgentDeployment agd = agent("ax-orphan", "1");
    agd.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);
    world.apply(agd);
    String id = world.env.awaitReady("ax-orphan").getStatus().getDeploymentId();
    world.delete("ax-orphan");
    world.env.awaitGone("ax-orphan");
    assertEquals("COMPLETED", statuses("ax-orphan").get(id));
    assertEquals(0, world.agentexCount("ax-orphan", SimOperation.AGENTEX_DELETE));
  }

  @Test
  void previewExpiresIsNotRecreatedAndAnEditDeploysAgain() {
    AgentDeployment preview = agent("ax-preview", "1");
    AgentexPreview p = new AgentexPreview();
    p.setLabel("PR-42");
    p.setExpiresAt(Instant.now().plusSeconds(3).toString());
    preview.getSpec().getAgentex().setPreview(p);
    world.apply(preview);
    AgentDeployment ready = world.env.awaitReady("ax-preview");
    assertTrue(ready.getStatus().getExpiresAt() != null, "expiresAt in status");
    AgentDeployment expired = world.env.awaitAgent("ax-preview", Duration.ofSeconds(20),
        a -> "Expired".equals(a.getStatus().getPhase()));
    assertEquals("Expired", condition(expired, Conditions.READY).get().getReason());
    long posts = world.agentexCount("ax-preview", SimOperation.AGENTEX_CREATE);
    world.edit("ax-preview", a -> {
      a.getSpec().getAgentex().getPreview().setExpiresAt(Instant.now().plusSeconds(3600).toString());
      return a;
    });
    world.env.awaitAgent("ax-preview", Duration.ofSeconds(20),
        a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
    assertEquals(posts + 1, world.agentexCount("ax-preview", SimOperation.AGENTEX_CREATE));
    assertEquals(1, posts, "an expired preview was not recreated by itself");

    // Replacing a live preview deletes the one it replaces (the remote never supersedes previews).
    String live = world.env.get("ax-preview").getStatus().getDeploymentId();
    world.edit("ax-preview", a -> {
      a.getSpec().getAgentex().getImage().setTag("2");
      return a;
    });
    world.env.awaitAgent("ax-preview", Duration.ofSeconds(20),
        a -> a.getMetadata().getGeneration() == 3 && OperatorHarness.readyNow(a));
    assertEquals("DELETED", statuses("ax-preview").get(live));
  }

  @Test
  void configMapContentChangeDeploysAgain() {
    world.env.client.resource(new ConfigMapBuilder().withMetadata(new ObjectMetaBuilder().withName("ax-env")
        .withNamespace(Resources.NS).build()).withData(Map.of("env.yaml", "env: prod\nreplicas: 1\n")).build()).create();
    AgentDeployment agd = agent("ax-configmap", "1");
    agd.getSpec().getAgentex().setEnvironmentConfig(TextSource.fromConfigMap("ax-env", "env.yaml"));
    world.apply(agd);
    String first = world.env.awaitReady("ax-configmap").getStatus().getDeploymentId();
    world.env.client.configMaps().inNamespace(Resources.NS).withName("ax-env").edit(cm -> {
      cm.setData(Map.of("env.yaml", "env: prod\nreplicas: 3\n"));
      return cm;
    });
    AgentDeployment again = world.env.awaitAgent("ax-configmap", Duration.ofSeconds(20),
        a -> !first.equals(a.getStatus().getDeploymentId()) && OperatorHarness.readyNow(a));
    assertEquals(2, world.agentexCount("ax-configmap", SimOperation.AGENTEX_CREATE));
    assertTrue(world.sim.agentex().deploys().stream().anyMatch(d -> d.path("id").asText()
        .equals(again.getStatus().getDeploymentId()) && d.path("environment_config").asText().contains("replicas: 3")));
  }

  @Test
  void mismatchesAreClearSpecProblems() {
    world.apply(Resources.agentexAgent("ax-wrong-cp", SimulatedWorld.CONTROL_PLANE, "1"));
    world.env.awaitAgent("ax-wrong-cp", Duration.ofSeconds(10), reason(Conditions.SYNCED, "ProviderMismatch"));
    AgentDeployment renamed = agent("ax-name", "1");
    renamed.getSpec().getAgentex().setManifest(TextSource.inline(Resources.manifest("someone-else")));
    world.apply(renamed);
    AgentDeployment invalid = world.env.awaitAgent("ax-name", Duration.ofSeconds(10),
        reason(Conditions.SYNCED, "InvalidSpec"));
    assertTrue(condition(invalid, Conditions.SYNCED).get().getMessage().contains("someone-else"));
    assertEquals(0, world.agentexCount("ax-wrong-cp", SimOperation.AGENTEX_CREATE)
        + world.agentexCount("someone-else", SimOperation.AGENTEX_CREATE));
  }

  @Test
  void deployDeletedOutOfBandIsDeployedAgain() {
    world.apply(agent("ax-oob", "1"));
    String first = world.env.awaitReady("ax-oob").getStatus().getDeploymentId();
    world.sim.agentex().deleteOutOfBand(first);
    AgentDeployment again = world.env.awaitAgent("ax-oob", Duration.ofSeconds(20),
        a -> !first.equals(a.getStatus().getDeploymentId()) && OperatorHarness.readyNow(a));
    assertEquals(1, world.env.eventCount("ax-oob", "RemoteDeleted"));
    assertTrue(historyIds(again).contains(first));
  }

  private static List<String> historyIds(AgentDeployment a) {
    return a.getStatus().getHistory() == null ? List.of()
        : a.getStatus().getHistory().stream().map(io.agentdeploy.operator.api.HistoryEntry::getId).toList();
  }
}

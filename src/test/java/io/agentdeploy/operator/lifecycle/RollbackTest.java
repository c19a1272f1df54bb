package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.DeploymentType;
import io.agentdeploy.operator.api.LangSmithRevisionConfig;
import io.agentdeploy.operator.api.LangSmithSource;
import io.agentdeploy.operator.api.LangSmithSourceConfig;
import io.agentdeploy.operator.simulator.FailureRule;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.agentdeploy.operator.simulator.SimulatorConfig.RedeployMode;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13: a revert in git redeploys the revision that already ran it (no build), in both ways
 * the remote may implement a redeploy (a clone with a new id, or the same revision again), and
 * PATCHes whenever a redeploy would not restore exactly the desired state. The simulator's build
 * steps are slow enough (200 ms each) to tell the paths apart in its request log.
 */
class RollbackTest {
  private static final Map<RedeployMode, SimulatedWorld> WORLDS = new EnumMap<>(RedeployMode.class);

  private static SimulatedWorld world(RedeployMode mode) {
    return WORLDS.computeIfAbsent(mode, m -> new SimulatedWorld(SimulatorConfig.defaults()
        .withTimings(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(200))
        .withRedeployMode(m).withFailureRules(List.of(FailureRule.image(":broken$", "DEPLOY_FAILED"))),
        OperatorHarness.FAST));
  }

  private static SimulatedWorld cloning() {
    return world(RedeployMode.CLONE);
  }

  @AfterEach
  void contract() {
    for (SimulatedWorld w : WORLDS.values()) {
      w.sim.faults().clear();
      w.assertContract();
    }
  }

  @AfterAll
  static void stop() {
    WORLDS.values().forEach(SimulatedWorld::close);
    WORLDS.clear();
  }

  private static long edit(SimulatedWorld w, String name, Consumer<AgentDeployment> change) {
    long[] generation = new long[1];
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      generation[0] = w.edit(name, a -> {
        change.accept(a);
        return a;
      }).getMetadata().getGeneration();
      return true;
    });
    return generation[0];
  }

  private static AgentDeployment readyAt(SimulatedWorld w, String name, long generation) {
    return w.env.awaitAgent(name, Duration.ofSeconds(30), a -> a.getMetadata().getGeneration() == generation
        && OperatorHarness.readyNow(a));
  }

  private static void image(AgentDeployment a, String image) {
    a.getSpec().getLangsmith().getRevisionConfig().setImageUri(image);
  }

  /** Applies image :1 then :2, both Ready; returns the deployment id and the first revision id. */
  private static String[] twoRevisions(SimulatedWorld w, String name) {
    w.apply(Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/" + name + ":1"));
    AgentDeployment first = w.env.awaitReady(name);
    long g = edit(w, name, a -> image(a, "registry.example.com/" + name + ":2"));
    readyAt(w, name, g);
    return new String[] {first.getStatus().getDeploymentId(), first.getStatus().getLatestRevisionId()};
  }

  @ParameterizedTest
  @EnumSource(RedeployMode.class)
  void aRevertedImageRedeploysTheRevisionThatRanIt(RedeployMode mode) {
    SimulatedWorld w = world(mode);
    String name = "rb-revert-" + mode.name().toLowerCase();
    String[] ids = twoRevisions(w, name);
    Instant reverted = Instant.now();
    long g = edit(w, name, a -> image(a, "registry.example.com/" + name + ":1"));
    AgentDeployment ready = readyAt(w, name, g);
    System.out.printf("rollback %s: revert to Ready in %d ms by redeploy%n", mode,
        Duration.between(reverted, Instant.now()).toMillis());
    assertEquals(1, w.count(name, ids[0], SimOperation.REDEPLOY_REVISION));
    assertEquals(1, w.count(name, ids[0], SimOperation.PATCH_DEPLOYMENT), "only the edit to :2 was a PATCH");
    assertEquals(ready.getStatus().getLatestRevisionId(), ready.getStatus().getActiveRevisionId());
    if (mode == RedeployMode.REUSE) {
      assertEquals(ids[1], ready.getStatus().getLatestRevisionId(), "the same revision serves again");
      assertEquals(2, w.sim.langsmith().revisions(ids[0]).size());
    } else {
      assertNotEquals(ids[1], ready.getStatus().getLatestRevisionId(), "a clone with a new id");
      assertEquals(3, w.sim.langsmith().revisions(ids[0]).size());
    }
    assertEquals(1, w.env.eventCount(name, "RolledBack"));
    assertEquals("registry.example.com/" + name + ":1",
        w.remote(name).get(0).at("/source_revision_config/image_uri").asText());
  }

  @Test
  void withTheSameIdReadyWaitsForTheActiveRevision() {
    SimulatedWorld w = world(RedeployMode.REUSE);
    String name = "rb-active";
    String[] ids = twoRevisions(w, name);
    long g = edit(w, name, a -> image(a, "registry.example.com/" + name + ":1"));
    // The reused revision reads DEPLOYED from the start; Ready must wait until it serves.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
      AgentDeployment a = w.env.get(name);
      if (a.getMetadata().getGeneration() == g && OperatorHarness.readyNow(a)) {
        assertEquals(ids[1], a.getStatus().getActiveRevisionId(), "Ready only once the reused revision serves");
        return true;
      }
      return false;
    });
    assertEquals(1, w.count(name, ids[0], SimOperation.REDEPLOY_REVISION));
  }

  @Test
  void aRevertToARevisionThatFailedIsAPatch() {
    SimulatedWorld w = cloning();
    String name = "rb-failed";
    w.apply(Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/x:1"));
    String id = w.env.awaitReady(name).getStatus().getDeploymentId();
    long g = edit(w, name, a -> image(a, "registry.example.com/x:broken"));
    w.env.awaitAgent(name, Duration.ofSeconds(30), a -> a.getStatus().getObservedGeneration() == g
        && OperatorHarness.reason("Ready", "RevisionFailed").test(a));
    long g3 = edit(w, name, a -> image(a, "registry.example.com/x:3"));
    readyAt(w, name, g3);
    edit(w, name, a -> image(a, "registry.example.com/x:broken"));
    w.env.awaitAgent(name, Duration.ofSeconds(30), a -> a.getStatus().getObservedGeneration() == g3 + 1
        && OperatorHarness.reason("Ready", "RevisionFailed").test(a));
    assertEquals(0, w.count(name, id, SimOperation.REDEPLOY_REVISION));
    assertEquals(3, w.count(name, id, SimOperation.PATCH_DEPLOYMENT));
  }

  @Test
  void aRevertThatAlsoChangesAnEnvValueIsAPatch() {
    SimulatedWorld w = cloning();
    String name = "rb-env";
    String[] ids = twoRevisions(w, name);
    Instant reverted = Instant.now();
    long g = edit(w, name, a -> {
      image(a, "registry.example.com/" + name + ":1");
      a.getSpec().getLangsmith().getEnv().get(0).setValue("debug");
    });
    readyAt(w, name, g);
    System.out.printf("rollback CLONE: revert with an env change to Ready in %d ms by PATCH%n",
        Duration.between(reverted, Instant.now()).toMillis());
    assertEquals(0, w.count(name, ids[0], SimOperation.REDEPLOY_REVISION));
    assertEquals(2, w.count(name, ids[0], SimOperation.PATCH_DEPLOYMENT));
  }

  @Test
  void aRevertAfterASecretValueChangedIsAPatch() {
    SimulatedWorld w = cloning();
    String name = "rb-secret";
    w.env.client.resource(Resources.secret("rb-secret-env", Map.of("token", "value-one"))).create();
    AgentDeployment agd = Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/s:1");
    agd.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("TOKEN", "rb-secret-env", "token"));
    w.apply(agd);
    String id = w.env.awaitReady(name).getStatus().getDeploymentId();
    long g = edit(w, name, a -> image(a, "registry.example.com/s:2"));
    readyAt(w, name, g);
    w.env.client.resources(io.fabric8.kubernetes.api.model.Secret.class).inNamespace(Resources.NS)
        .withName("rb-secret-env").edit(s -> {
          s.setData(null);
          s.setStringData(Map.of("token", "value-two"));
          return s;
        });
    // The Secret change itself rolls out (a PATCH); then the image goes back.
    await().atMost(Duration.ofSeconds(30)).until(() -> w.count(name, id, SimOperation.PATCH_DEPLOYMENT) == 2
        && OperatorHarness.readyNow(w.env.get(name)));
    long g3 = edit(w, name, a -> image(a, "registry.example.com/s:1"));
    readyAt(w, name, g3);
    assertEquals(0, w.count(name, id, SimOperation.REDEPLOY_REVISION), "revision 1 ran another Secret value");
    assertEquals(3, w.count(name, id, SimOperation.PATCH_DEPLOYMENT));
  }

  @Test
  void aRevertAfterTheOldRevisionWasRemovedIsAPatch() {
    SimulatedWorld w = cloning();
    String name = "rb-removed";
    String[] ids = twoRevisions(w, name);
    w.sim.langsmith().removeRevision(ids[0], ids[1]);
    long g = edit(w, name, a -> image(a, "registry.example.com/" + name + ":1"));
    readyAt(w, name, g);
    assertEquals(0, w.count(name, ids[0], SimOperation.REDEPLOY_REVISION));
    assertEquals(2, w.count(name, ids[0], SimOperation.PATCH_DEPLOYMENT));
  }

  private static AgentDeployment github(String name, String ref) {
    AgentDeployment agd = Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, null);
    var ls = agd.getSpec().getLangsmith();
    ls.setSource(LangSmithSource.GITHUB);
    LangSmithSourceConfig sc = new LangSmithSourceConfig();
    sc.setRepoUrl("https://github.com/acme/" + name);
    sc.setIntegrationId("9a1b2c3d-0000-4000-8000-000000000001");
    sc.setDeploymentType(DeploymentType.DEV);
    sc.setBuildOnPush(false);
    ls.setSourceConfig(sc);
    LangSmithRevisionConfig rc = new LangSmithRevisionConfig();
    rc.setRepoRef(ref);
    rc.setLanggraphConfigPath("langgraph.json");
    ls.setRevisionConfig(rc);
    return agd;
  }

  private static void ref(AgentDeployment a, String ref) {
    a.getSpec().getLangsmith().getRevisionConfig().setRepoRef(ref);
  }

  @Test
  void githubTagsAreRedeployedAndBranchesRebuilt() {
    SimulatedWorld w = cloning();
    for (String[] refs : List.of(new String[] {"rb-tag", "v1.0.0", "v1.1.0"}, new String[] {"rb-branch", "main",
        "release"})) {
      String name = refs[0];
      w.apply(github(name, refs[1]));
      String id = w.env.awaitReady(name).getStatus().getDeploymentId();
      long g = edit(w, name, a -> ref(a, refs[2]));
      readyAt(w, name, g);
      long g3 = edit(w, name, a -> ref(a, refs[1]));
      readyAt(w, name, g3);
      boolean tag = refs[1].startsWith("v");
      assertEquals(tag ? 1 : 0, w.count(name, id, SimOperation.REDEPLOY_REVISION), name);
      assertEquals(tag ? 1 : 2, w.count(name, id, SimOperation.PATCH_DEPLOYMENT), name);
    }
  }

  @Test
  void aRedeployWhoseAnswerIsLostIsNotSentAgainNorFollowedByAPatch() {
    SimulatedWorld w = cloning();
    String name = "rb-lost";
    String[] ids = twoRevisions(w, name);
    w.sim.faults().next(SimOperation.REDEPLOY_REVISION, 1, new Fault.SaveThenFail(0));
    long g = edit(w, name, a -> image(a, "registry.example.com/" + name + ":1"));
    readyAt(w, name, g);
    assertEquals(1, w.count(name, ids[0], SimOperation.REDEPLOY_REVISION));
    assertEquals(1, w.count(name, ids[0], SimOperation.PATCH_DEPLOYMENT));
    assertEquals(3, w.sim.langsmith().revisions(ids[0]).size());
  }

  @Test
  void aRevisionRecordedUnderAnotherHashKeyIsNotRedeployed() {
    // Its own world: losing the key holds every resource of the operator.
    try (SimulatedWorld w = new SimulatedWorld(SimulatorConfig.defaults()
        .withTimings(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(200)), OperatorHarness.FAST)) {
      String name = "rb-other-key";
      String[] ids = twoRevisions(w, name);
      w.env.loseHashKeyAndRestart();
      w.env.awaitAgent(name, Duration.ofSeconds(30), OperatorHarness.reason("Synced", "HashKeyChanged"));
      long g = edit(w, name, a -> image(a, "registry.example.com/" + name + ":1"));
      AgentDeployment ready = readyAt(w, name, g);
      assertEquals(0, w.count(name, ids[0], SimOperation.REDEPLOY_REVISION),
          "revision 1's hash was made under the lost key: nothing proves it ran this state");
      assertEquals(2, w.count(name, ids[0], SimOperation.PATCH_DEPLOYMENT));
      assertEquals(w.env.hashKeyId(), ready.getStatus().getHashKeyId());
      w.assertContract();
    }
  }
}

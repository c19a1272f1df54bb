package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.DeploymentType;
import io.agentdeploy.operator.api.HistoryEntry;
import io.agentdeploy.operator.api.LangSmithResourceSpec;
import io.agentdeploy.operator.api.LangSmithRevisionConfig;
import io.agentdeploy.operator.api.LangSmithSource;
import io.agentdeploy.operator.api.LangSmithSourceConfig;
import io.agentdeploy.operator.simulator.FailureRule;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.agentdeploy.operator.simulator.SimulatorConfig.RedeployMode;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
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

  /**
   * Applies image :1, :2, ... :n in turn, each Ready; returns the deployment id and then the
   * revision ids in order ({@code [deployment, revision of :1, revision of :2, ...]}).
   */
  private static String[] revisions(SimulatedWorld w, String name, int n) {
    w.apply(Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/" + name + ":1"));
    AgentDeployment first = w.env.awaitReady(name);
    String[] ids = new String[n + 1];
    ids[0] = first.getStatus().getDeploymentId();
    ids[1] = first.getStatus().getLatestRevisionId();
    for (int i = 2; i <= n; i++) {
      String tag = ":" + i;
      long g = edit(w, name, a -> image(a, "registry.example.com/" + name + tag));
      ids[i] = readyAt(w, name, g).getStatus().getLatestRevisionId();
    }
    return ids;
  }

  /** Applies image :1 then :2, both Ready; returns the deployment id and the first revision id. */
  private static String[] twoRevisions(SimulatedWorld w, String name) {
    return revisions(w, name, 2);
  }

  /** Sets the image back to :1 and waits for Ready at that generation; returns the milliseconds it took. */
  private static long revertToFirst(SimulatedWorld w, String name) {
    Instant reverted = Instant.now();
    long g = edit(w, name, a -> image(a, "registry.example.com/" + name + ":1"));
    readyAt(w, name, g);
    return Duration.between(reverted, Instant.now()).toMillis();
  }

  /**
   * The sequence: edit the image, edit again, revert to the first. The revert redeploys
   * the first revision (no PATCH, so nothing is built); the same revert once that revision is gone
   * is a PATCH, which rolls out a new revision through every step. Both are timed the same way
   * (printed for the README; no bar on them, the machine's load moves them).
   */
  @ParameterizedTest
  @EnumSource(RedeployMode.class)
  void aRevertedImageRedeploysTheRevisionThatRanIt(RedeployMode mode) {
    SimulatedWorld w = world(mode);
    String name = "rb-revert-" + mode.name().toLowerCase();
    String[] ids = revisions(w, name, 3);
    long byRedeploy = revertToFirst(w, name);
    AgentDeployment ready = w.env.get(name);
    List<RecordedRequest> redeploys = w.traffic(name, ids[0]).stream()
        .filter(r -> r.operation() == SimOperation.REDEPLOY_REVISION).toList();
    assertEquals(1, redeploys.size());
    assertTrue(redeploys.get(0).path().endsWith("/revisions/" + ids[1] + "/redeploy"), redeploys.get(0).path());
    assertEquals(2, w.count(name, ids[0], SimOperation.PATCH_DEPLOYMENT), "only the edits to :2 and :3 were PATCHes");
    assertEquals(ready.getStatus().getLatestRevisionId(), ready.getStatus().getActiveRevisionId());
    if (mode == RedeployMode.REUSE) {
      assertEquals(ids[1], ready.getStatus().getLatestRevisionId(), "the same revision serves again");
      assertEquals(3, w.sim.langsmith().revisions(ids[0]).size());
    } else {
      assertFalse(List.of(ids).contains(ready.getStatus().getLatestRevisionId()), "a clone with a new id");
      assertEquals(4, w.sim.langsmith().revisions(ids[0]).size());
    }
    assertEquals(1, w.env.eventCount(name, "RolledBack"));
    assertEquals("registry.example.com/" + name + ":1",
        w.remote(name).get(0).at("/source_revision_config/image_uri").asText());
    assertHistoryRecordsEveryRollout(w, ready);

    String gone = name + "-gone";
    String[] goneIds = revisions(w, gone, 3);
    w.sim.langsmith().removeRevision(goneIds[0], goneIds[1]);
    long byPatch = revertToFirst(w, gone);
    assertEquals(0, w.count(gone, goneIds[0], SimOperation.REDEPLOY_REVISION));
    assertEquals(3, w.count(gone, goneIds[0], SimOperation.PATCH_DEPLOYMENT), "the revert is a PATCH");
    System.out.printf("rollback %s: create :1, edit :2, edit :3, revert to :1: Ready in %d ms by redeploy, "
        + "%d ms by PATCH (the same revert once revision :1 was removed)%n", mode, byRedeploy, byPatch);
  }

  /**
   * status.history (shown by kubectl describe) lists every revision this resource rolled out, each
   * with its final status and when it was made, oldest first.
   */
  private static void assertHistoryRecordsEveryRollout(SimulatedWorld w, AgentDeployment ready) {
    List<HistoryEntry> history = ready.getStatus().getHistory();
    List<String> remote = w.sim.langsmith().revisions(ready.getStatus().getDeploymentId()).stream()
        .map(r -> r.path("id").asText()).toList();
    assertEquals(new HashSet<>(remote), history.stream().map(HistoryEntry::getId).collect(Collectors.toSet()));
    Instant previous = Instant.EPOCH;
    for (HistoryEntry e : history) {
      assertEquals("DEPLOYED", e.getOutcome(), "final status of " + e.getId());
      assertEquals(Boolean.TRUE, e.getDeployed(), e.getId());
      Instant made = Instant.parse(e.getTime());
      assertFalse(made.isBefore(previous), "oldest first: " + history);
      previous = made;
    }
    assertEquals(ready.getStatus().getLatestRevisionId(), history.get(history.size() - 1).getId());
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

  private static void cpu(AgentDeployment a, double cpu) {
    var sc = a.getSpec().getLangsmith().getSourceConfig();
    if (sc == null) {
      sc = new LangSmithSourceConfig();
      a.getSpec().getLangsmith().setSourceConfig(sc);
    }
    LangSmithResourceSpec rs = new LangSmithResourceSpec();
    rs.setCpu(cpu);
    sc.setResourceSpec(rs);
  }

  /**
   * A commit that changed the image and the resource spec, reverted: the spec is again exactly
   * what revision :1 ran, but a redeploy would not restore resource_spec (it lives on the
   * deployment), so the revert must be a PATCH.
   */
  @Test
  void aRevertThatAlsoChangesTheResourceSpecIsAPatch() {
    SimulatedWorld w = cloning();
    String name = "rb-resources";
    AgentDeployment agd = Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/r:1");
    cpu(agd, 0.5);
    w.apply(agd);
    String id = w.env.awaitReady(name).getStatus().getDeploymentId();
    long g = edit(w, name, a -> {
      image(a, "registry.example.com/r:2");
      cpu(a, 1.0);
    });
    readyAt(w, name, g);
    long g3 = edit(w, name, a -> {
      image(a, "registry.example.com/r:1");
      cpu(a, 0.5);
    });
    readyAt(w, name, g3);
    assertEquals(0, w.count(name, id, SimOperation.REDEPLOY_REVISION));
    assertEquals(2, w.count(name, id, SimOperation.PATCH_DEPLOYMENT));
    assertEquals(0.5, w.remote(name).get(0).at("/source_config/resource_spec/cpu").asDouble());
    assertEquals("registry.example.com/r:1", w.remote(name).get(0).at("/source_revision_config/image_uri").asText());
  }

  /** Agentex has no redeploy: a reverted image is one more deploy, made and followed like any change. */
  @Test
  void anAgentexRevertIsANewDeploy() {
    SimulatedWorld w = cloning();
    String name = "rb-agentex";
    w.apply(Resources.agentexAgent(name, SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
    String first = w.env.awaitReady(name).getStatus().getDeploymentId();
    long g = edit(w, name, a -> a.getSpec().getAgentex().getImage().setTag("2"));
    String second = readyAt(w, name, g).getStatus().getDeploymentId();
    long g3 = edit(w, name, a -> a.getSpec().getAgentex().getImage().setTag("1"));
    AgentDeployment ready = readyAt(w, name, g3);
    String third = ready.getStatus().getDeploymentId();
    assertEquals(3, w.agentexCount(name, SimOperation.AGENTEX_CREATE), "create, edit, revert: three deploys");
    assertEquals(3, new HashSet<>(List.of(first, second, third)).size(), "the revert is a deploy of its own");
    assertEquals(List.of(first, second, third), ready.getStatus().getHistory().stream().map(HistoryEntry::getId).toList());
    assertEquals(0, w.env.eventCount(name, "RolledBack"));
  }

  private static AgentDeployment github(String name, String ref, boolean buildOnPush) {
    AgentDeployment agd = Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, null);
    var ls = agd.getSpec().getLangsmith();
    ls.setSource(LangSmithSource.GITHUB);
    LangSmithSourceConfig sc = new LangSmithSourceConfig();
    sc.setRepoUrl("https://github.com/acme/" + name);
    sc.setIntegrationId("9a1b2c3d-0000-4000-8000-000000000001");
    sc.setDeploymentType(DeploymentType.DEV);
    sc.setBuildOnPush(buildOnPush);
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

  /** One GitHub case: the ref it starts at, the ref it moves to, and whether going back redeploys. */
  private record GithubCase(String name, String first, String second, boolean buildOnPush, boolean redeploys) {}

  /**
   * A GitHub ref is redeployed only when it certainly names one commit and build_on_push is false
   * (the rule itself, case by case, is RollbackRefRuleTest's). The cases run side by side, as each
   * goes through the build steps three times.
   */
  @Test
  void githubTagsAndCommitsAreRedeployedAndBranchesRebuilt() {
    SimulatedWorld w = cloning();
    List<GithubCase> cases = List.of(
        new GithubCase("rb-tag", "v1.0.0", "v1.1.0", false, true),
        new GithubCase("rb-tag-ref", "refs/tags/x", "refs/tags/y", false, true),
        new GithubCase("rb-commit", "0123456789abcdef0123456789abcdef01234567",
            "89abcdef0123456789abcdef0123456789abcdef", false, true),
        new GithubCase("rb-branch", "main", "release", false, false),
        new GithubCase("rb-hex-branch", "deadbeef", "cafebabe", false, false),
        new GithubCase("rb-tag-on-push", "v1.0.0", "v1.1.0", true, false));
    Map<String, String> ids = new java.util.HashMap<>();
    cases.forEach(c -> w.apply(github(c.name(), c.first(), c.buildOnPush())));
    cases.forEach(c -> ids.put(c.name(), w.env.awaitReady(c.name()).getStatus().getDeploymentId()));
    for (boolean back : List.of(false, true)) {
      Map<String, Long> generations = new java.util.HashMap<>();
      cases.forEach(c -> generations.put(c.name(), edit(w, c.name(), a -> ref(a, back ? c.first() : c.second()))));
      cases.forEach(c -> readyAt(w, c.name(), generations.get(c.name())));
    }
    for (GithubCase c : cases) {
      String id = ids.get(c.name());
      assertEquals(c.redeploys() ? 1 : 0, w.count(c.name(), id, SimOperation.REDEPLOY_REVISION), c.name());
      assertEquals(c.redeploys() ? 1 : 2, w.count(c.name(), id, SimOperation.PATCH_DEPLOYMENT), c.name());
      assertEquals(c.first(), w.remote(c.name()).get(0).at("/source_revision_config/repo_ref").asText(), c.name());
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

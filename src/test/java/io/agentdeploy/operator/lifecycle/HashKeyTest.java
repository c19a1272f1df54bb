package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.api.HistoryEntry;
import io.agentdeploy.operator.controller.Annotations;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.remote.StateHasher;
import io.agentdeploy.operator.remote.TestHashers;
import io.agentdeploy.operator.remote.agentex.AgentexMapper;
import io.agentdeploy.operator.remote.langsmith.LangSmithDesired;
import io.agentdeploy.operator.remote.langsmith.LangSmithMapper;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, the keyed hash: every hash in status is an HMAC under the operator's own key; a
 * status an older version wrote is verified once and rewritten without a remote write; a lost key
 * holds every resource (HashKeyChanged, nothing sent) until its spec changes or a reconcile is
 * requested. The simulator's request log counts the remote writes.
 */
class HashKeyTest {
  private static final Pattern ANY_HASH = Pattern.compile("[a-z0-9-]*sha256:[0-9a-f]{64}");
  private static final String PIN = "1234";
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
    world.env.client.resource(Resources.secret("hk-env", Map.of("pin", PIN))).create();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @AfterEach
  void everyExchangeFollowsTheSpec() {
    world.assertContract();
  }

  /** A LangSmith agent with a low-entropy Secret value (a PIN) in its environment. */
  private static AgentDeployment agentWithPin(String name, String image) {
    AgentDeployment agd = Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, image);
    agd.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("PIN", "hk-env", "pin"));
    return agd;
  }

  /** The canonical form of such an agent's desired state (what older versions hashed plainly). */
  private static LangSmithDesired unkeyed(AgentDeployment agd) {
    return LangSmithMapper.toDesired(agd.getSpec().getLangsmith(), Map.of("LOG_LEVEL", "info", "PIN", PIN),
        Set.of("PIN"), TestHashers.ZERO);
  }

  private static List<String> hashesIn(AgentDeploymentStatus status) throws Exception {
    Matcher m = ANY_HASH.matcher(new ObjectMapper().writeValueAsString(status));
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }

  private static List<SimOperation> writesSince(SimulatedWorld w, int mark) {
    List<RecordedRequest> all = w.sim.requests().all();
    return all.subList(mark, all.size()).stream().map(RecordedRequest::operation).filter(SimOperation::isWrite)
        .toList();
  }

  private static void edit(SimulatedWorld w, String name, Consumer<AgentDeployment> change) {
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      w.edit(name, a -> {
        change.accept(a);
        return a;
      });
      return true;
    });
  }

  private static void requestReconcile(SimulatedWorld w, String name, String value) {
    edit(w, name, a -> {
      Map<String, String> annotations = new HashMap<>(a.getMetadata().getAnnotations() == null ? Map.of()
          : a.getMetadata().getAnnotations());
      annotations.put(Annotations.RECONCILE_REQUESTED_AT, value);
      a.getMetadata().setAnnotations(annotations);
    });
    w.env.awaitAgent(name, Duration.ofSeconds(30), a -> value.equals(a.getStatus().getReconcileRequestHandled()));
  }

  /** Waits until the operator has read this deployment {@code reads} more times: passes that observed it. */
  private static void awaitReads(SimulatedWorld w, String deploymentId, SimOperation read, int reads) {
    long before = w.sim.requests().matching(r -> r.operation() == read && r.path().contains(deploymentId)).size();
    await().atMost(Duration.ofSeconds(30)).until(() -> w.sim.requests()
        .matching(r -> r.operation() == read && r.path().contains(deploymentId)).size() >= before + reads);
  }

  @Test
  void statusHoldsOnlyHashesKeyedWithTheOperatorsKey() throws Exception {
    AgentDeployment agd = agentWithPin("hk-keyed", "registry.example.com/keyed:1");
    world.apply(agd);
    AgentDeploymentStatus status = world.env.awaitReady("hk-keyed").getStatus();
    LangSmithDesired plain = unkeyed(agd);
    StateHasher operatorKey = StateHasher.withKey(java.util.Base64.getDecoder().decode(
        world.env.hashKeySecret().get().getData().get("key")));

    assertEquals("hmac-sha256", status.getHashScheme());
    assertEquals(world.env.hashKeyId(), status.getHashKeyId());
    assertEquals(operatorKey.hash(plain.canonicalState()), status.getDesiredStateHash(),
        "an HMAC under the key in the operator's Secret");
    assertEquals(operatorKey.hash(plain.canonicalDeploymentState()), status.getHistory().get(0).getDeploymentHash());
    List<String> hashes = hashesIn(status);
    assertEquals(3, hashes.size(), "state hash and the history entry's two: " + hashes);
    assertTrue(hashes.stream().allMatch(h -> h.startsWith("hmac-sha256:")), hashes.toString());
    // The unkeyed digests a reader could brute-force the PIN against appear nowhere.
    String json = new ObjectMapper().writeValueAsString(status);
    for (byte[] canonical : List.of(plain.canonicalState(), plain.canonicalDeploymentState())) {
      assertFalse(json.contains(StateHasher.legacyHash(canonical).substring("sha256:".length())));
    }

    // Another operator with its own key: the same spec (and PIN) hashes differently.
    try (SimulatedWorld other = new SimulatedWorld()) {
      other.env.client.resource(Resources.secret("hk-env", Map.of("pin", PIN))).create();
      other.apply(agentWithPin("hk-keyed", "registry.example.com/keyed:1"));
      AgentDeploymentStatus theirs = other.env.awaitReady("hk-keyed").getStatus();
      assertNotEquals(status.getHashKeyId(), theirs.getHashKeyId());
      assertNotEquals(status.getDesiredStateHash(), theirs.getDesiredStateHash());
      assertNotEquals(status.getHistory().get(0).getDeploymentHash(), theirs.getHistory().get(0).getDeploymentHash());
      other.assertContract();
    }
  }

  /** Rewrites a status as the operator before the keyed hash wrote it: plain SHA-256, no scheme or key id. */
  private static void writeAsOldVersion(String name, Map<String, byte[]> canonicalById, byte[] current,
      byte[] deployment) {
    world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName(name).editStatus(a -> {
      AgentDeploymentStatus s = a.getStatus();
      s.setHashScheme(null);
      s.setHashKeyId(null);
      s.setDesiredStateHash(StateHasher.legacyHash(current));
      for (HistoryEntry e : s.getHistory()) {
        e.setDesiredStateHash(StateHasher.legacyHash(canonicalById.get(e.getId())));
        e.setDeploymentHash(deployment == null ? null : StateHasher.legacyHash(deployment));
      }
      return a;
    });
  }

  @Test
  void anUpgradeRewritesOldHashesOnceWithoutARemoteWrite() throws Exception {
    AgentDeployment ls = agentWithPin("hk-up", "registry.example.com/up:1");
    world.apply(ls);
    String firstRevision = world.env.awaitReady("hk-up").getStatus().getLatestRevisionId();
    edit(world, "hk-up", a -> a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/up:2"));
    AgentDeployment second = world.env.awaitAgent("hk-up", Duration.ofSeconds(30),
        a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
    AgentDeployment changed = agentWithPin("hk-up-changed", "registry.example.com/changed:1");
    world.apply(changed);
    AgentDeployment ax = Resources.agentexAgent("hk-up-ax", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1");
    world.apply(ax);
    String changedId = world.env.awaitReady("hk-up-changed").getStatus().getDeploymentId();
    String axDeploy = world.env.awaitReady("hk-up-ax").getStatus().getDeploymentId();

    world.env.stopOperator();
    LangSmithDesired one = unkeyed(ls);
    LangSmithDesired two = unkeyed(second);
    writeAsOldVersion("hk-up", Map.of(firstRevision, one.canonicalState(),
        second.getStatus().getLatestRevisionId(), two.canonicalState()), two.canonicalState(),
        two.canonicalDeploymentState());
    LangSmithDesired changedState = unkeyed(changed);
    writeAsOldVersion("hk-up-changed", Map.of(world.env.get("hk-up-changed").getStatus().getLatestRevisionId(),
        changedState.canonicalState()), changedState.canonicalState(), changedState.canonicalDeploymentState());
    byte[] axState = AgentexMapper.toDesired(ax.getSpec().getAgentex(), Resources.manifest("hk-up-ax"),
        "env: prod\nreplicas: 1\n", TestHashers.ZERO).canonicalState();
    writeAsOldVersion("hk-up-ax", Map.of(axDeploy, axState), axState, null);
    assertTrue(world.env.get("hk-up").getStatus().getDesiredStateHash().startsWith("sha256:"));
    // Changed while the operator was being upgraded: an ordinary change.
    edit(world, "hk-up-changed",
        a -> a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/changed:2"));
    int mark = world.sim.requests().all().size();
    world.env.startOperator();

    for (String name : List.of("hk-up", "hk-up-changed", "hk-up-ax")) {
      // A pass after the migrating one has run when the request is acknowledged.
      requestReconcile(world, name, "after-upgrade");
      AgentDeployment a = world.env.awaitReady(name);
      assertEquals("hmac-sha256", a.getStatus().getHashScheme(), name);
      assertEquals(world.env.hashKeyId(), a.getStatus().getHashKeyId(), name);
      assertTrue(hashesIn(a.getStatus()).stream().allMatch(h -> h.startsWith("hmac-sha256:")), name);
    }
    List<RecordedRequest> writes = world.sim.requests().all().subList(mark, world.sim.requests().all().size())
        .stream().filter(r -> r.operation().isWrite()).toList();
    assertEquals(1, writes.size(), "only the resource whose spec changed was applied: " + writes);
    assertEquals(SimOperation.PATCH_DEPLOYMENT, writes.get(0).operation());
    assertTrue(writes.get(0).path().contains(changedId));

    AgentDeploymentStatus migrated = world.env.get("hk-up").getStatus();
    HistoryEntry current = migrated.getHistory().stream()
        .filter(e -> e.getId().equals(migrated.getLatestRevisionId())).findFirst().orElseThrow();
    HistoryEntry older = migrated.getHistory().stream().filter(e -> e.getId().equals(firstRevision)).findFirst()
        .orElseThrow();
    assertEquals(migrated.getDesiredStateHash(), current.getDesiredStateHash(), "verified and rewritten");
    assertNull(older.getDesiredStateHash(), "another state than the current one cannot be verified: dropped");
    assertEquals(current.getDeploymentHash(), older.getDeploymentHash(), "same deployment-level state: verified");

    // A revert to the unverifiable revision is a PATCH, never a redeploy on an old-scheme hash.
    String deploymentId = migrated.getDeploymentId();
    edit(world, "hk-up", a -> a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/up:1"));
    world.env.awaitAgent("hk-up", Duration.ofSeconds(30),
        a -> a.getMetadata().getGeneration() == 3 && OperatorHarness.readyNow(a));
    assertEquals(0, world.count("hk-up", deploymentId, SimOperation.REDEPLOY_REVISION));
    assertEquals(2, world.count("hk-up", deploymentId, SimOperation.PATCH_DEPLOYMENT));
  }

  @Test
  void aLostKeyHoldsEveryResourceUntilItsSpecChangesOrAReconcileIsRequested() {
    try (SimulatedWorld w = new SimulatedWorld()) {
      w.env.client.resource(Resources.secret("hk-env", Map.of("pin", PIN))).create();
      List<String> names = List.of("hk-lost-edit", "hk-lost-request", "hk-lost-ax");
      w.apply(agentWithPin(names.get(0), "registry.example.com/lost:1"));
      w.apply(agentWithPin(names.get(1), "registry.example.com/lost:1"));
      w.apply(Resources.agentexAgent(names.get(2), SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
      Map<String, String> ids = new HashMap<>();
      for (String name : names) {
        ids.put(name, w.env.awaitReady(name).getStatus().getDeploymentId());
      }
      String oldKey = w.env.hashKeyId();

      int mark = w.sim.requests().all().size();
      w.env.loseHashKeyAndRestart();
      String newKey = w.env.hashKeyId();
      assertNotEquals(oldKey, newKey, "a new key was made");
      for (String name : names) {
        AgentDeployment held = w.env.awaitAgent(name, Duration.ofSeconds(30),
            OperatorHarness.reason(Conditions.SYNCED, "HashKeyChanged"));
        assertTrue(OperatorHarness.readyNow(held), "still Ready: the deployment runs, only the hashes are unknown");
        assertEquals("Ready", held.getStatus().getPhase());
        assertEquals(oldKey, held.getStatus().getHashKeyId());
        assertTrue(condition(held, Conditions.SYNCED).get().getMessage().contains("reconcile-requested-at"));
      }
      // It keeps observing (reads on later passes), and writes nothing.
      awaitReads(w, ids.get("hk-lost-edit"), SimOperation.GET_DEPLOYMENT, 2);
      awaitReads(w, ids.get("hk-lost-ax"), SimOperation.AGENTEX_GET, 2);
      assertEquals(List.of(), writesSince(w, mark));
      for (String name : names) {
        assertEquals(1, w.env.eventCount(name, "HashKeyChanged"), name);
      }

      // A spec change applies under the new key.
      edit(w, "hk-lost-edit",
          a -> a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/lost:2"));
      AgentDeployment edited = w.env.awaitAgent("hk-lost-edit", Duration.ofSeconds(30),
          a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
      assertEquals(newKey, edited.getStatus().getHashKeyId());
      assertEquals("Applied", condition(edited, Conditions.SYNCED).get().getReason());
      assertEquals(1, w.count("hk-lost-edit", ids.get("hk-lost-edit"), SimOperation.PATCH_DEPLOYMENT));

      // So does a reconcile request, with the spec unchanged (the same state applied once more).
      requestReconcile(w, "hk-lost-request", "re-apply-after-key-loss");
      AgentDeployment requested = w.env.awaitAgent("hk-lost-request", Duration.ofSeconds(30),
          a -> newKey.equals(a.getStatus().getHashKeyId()) && OperatorHarness.readyNow(a)
              && "Applied".equals(condition(a, Conditions.SYNCED).get().getReason()));
      assertEquals(1, w.count("hk-lost-request", ids.get("hk-lost-request"), SimOperation.PATCH_DEPLOYMENT));
      assertTrue(requested.getStatus().getDesiredStateHash().startsWith("hmac-sha256:"));

      // The third is left alone: still held, still nothing sent for it.
      awaitReads(w, ids.get("hk-lost-ax"), SimOperation.AGENTEX_GET, 1);
      assertEquals(List.of(SimOperation.PATCH_DEPLOYMENT, SimOperation.PATCH_DEPLOYMENT), writesSince(w, mark));
      AgentDeployment stillHeld = w.env.get("hk-lost-ax");
      assertEquals("HashKeyChanged", condition(stillHeld, Conditions.SYNCED).get().getReason());
      assertEquals(oldKey, stillHeld.getStatus().getHashKeyId());
      w.assertContract();
    }
  }
}

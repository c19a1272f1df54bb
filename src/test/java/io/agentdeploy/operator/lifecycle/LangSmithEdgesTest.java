package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.WriteAheadRecord;
import io.agentdeploy.operator.controller.Annotations;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangSmith ownership at the edges (issue 8): the evidence window of an open create record, a
 * resource that lost its status next to its deployment, an upgrade from a status without an
 * account whose deployment reads not-found, a move to a new host and account, and a deployment
 * that read gone and is listed again.
 */
class LangSmithEdgesTest {
  private static SimulatedWorld world;
  /** Another host (an EU region): same API key, none of the first host's deployments. */
  private static Simulator eu;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
    eu = Simulator.start(SimulatedWorld.fastSimulator().withApiKey(SimulatedWorld.API_KEY));
  }

  @AfterAll
  static void stop() {
    try {
      world.close();
    } finally {
      eu.close();
    }
  }

  @AfterEach
  void releaseEverything() {
    world.sim.faults().clear();
    world.releaseAll();
    world.assertContract();
  }

  private static AgentDeployment agent(String name, String controlPlane) {
    return Resources.dockerAgent(name, controlPlane, "registry.example.com/agent:1");
  }

  private static String account(String baseUrl, String tenant) {
    return AccountKey.of(baseUrl, tenant, SimulatedWorld.API_KEY).display();
  }

  private static String synced(String name) {
    return condition(world.env.get(name), Conditions.SYNCED).map(c -> c.getMessage()).orElse("");
  }

  private static void holdsFor(Duration period, Callable<Boolean> invariant) {
    await().during(period).atMost(period.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(invariant);
  }

  private static void annotate(String name, String key, String value) {
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      world.edit(name, a -> {
        Map<String, String> annotations = a.getMetadata().getAnnotations() == null ? new HashMap<>()
            : new HashMap<>(a.getMetadata().getAnnotations());
        annotations.put(key, value);
        a.getMetadata().setAnnotations(annotations);
        return a;
      });
      return true;
    });
  }

  private static void editStatus(String name, UnaryOperator<AgentDeploymentStatus> change) {
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> world.env.client
        .resources(AgentDeployment.class).inNamespace(Resources.NS).withName(name).editStatus(a -> {
          a.setStatus(change.apply(a.getStatus() == null ? new AgentDeploymentStatus() : a.getStatus()));
          return a;
        }), a -> a != null);
  }

  private static void editControlPlane(String name, UnaryOperator<ControlPlane> change) {
    world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS).withName(name).edit(change);
  }

  // E1
  @Test
  void anOpenCreateRecordProvesOnlyWhatWasMadeInsideItsWindow() {
    // A create record from an earlier pass: first attempt 60 s ago, retried 40 s ago, no answer known.
    // Its window: [first - skew (10 s), last + request timeout (2 s) + skew] = [now - 70 s, now - 28 s].
    Instant now = Instant.now();
    Instant first = now.minusSeconds(60);
    Instant last = now.minusSeconds(40);
    Map<String, Instant> made = Map.of("e1-before", now.minusSeconds(71), "e1-after", now.minusSeconds(27),
        "e1-start", now.minusSeconds(69), "e1-end", now.minusSeconds(29));
    world.env.stopOperator();
    Map<String, String> ids = new HashMap<>();
    made.forEach((name, at) -> {
      world.apply(agent(name, SimulatedWorld.CONTROL_PLANE));
      ids.put(name, world.sim.langsmith().createOutOfBand(SimulatedWorld.TENANT, name,
          "registry.example.com/agent:1", at));
      editStatus(name, s -> {
        s.setWriteAhead(new WriteAheadRecord("Create", name, "4e0f2a9c7b1d3e5f", null,
            account(world.sim.baseUrl(), SimulatedWorld.TENANT), first.toString(), last.toString()));
        return s;
      });
    });
    world.env.startOperator();
    for (String outside : List.of("e1-before", "e1-after")) {
      world.env.awaitAgent(outside, Duration.ofSeconds(20), reason(Conditions.SYNCED, "NameConflict"));
      assertTrue(synced(outside).contains(ids.get(outside)) && synced(outside).contains("did not create"),
          synced(outside));
    }
    for (String inside : List.of("e1-start", "e1-end")) {
      AgentDeployment ready = world.env.awaitReady(inside);
      assertEquals(ids.get(inside), ready.getStatus().getDeploymentId(), inside);
      assertEquals(1, world.env.eventCount(inside, "Recovered"), inside);
    }
    holdsFor(Duration.ofSeconds(3), () -> reason(Conditions.SYNCED, "NameConflict").test(world.env.get("e1-before"))
        && reason(Conditions.SYNCED, "NameConflict").test(world.env.get("e1-after")));
    for (String name : made.keySet()) {
      assertEquals(0, world.count(name, null, SimOperation.CREATE_DEPLOYMENT), name + ": nothing created");
      assertEquals(0, world.count(name, ids.get(name), SimOperation.DELETE_DEPLOYMENT), name + ": nothing deleted");
      assertEquals(0, world.env.eventCount(name, "Adopted"), name);
    }
    for (String outside : List.of("e1-before", "e1-after")) {
      assertEquals(0, world.count(outside, ids.get(outside), SimOperation.PATCH_DEPLOYMENT), outside + ": untouched");
    }
    assertNull(world.env.get("e1-before").getStatus().getDeploymentId());
    assertNull(world.env.get("e1-after").getStatus().getDeploymentId());
  }

  // W4
  @Test
  void aResourceRecreatedWithoutItsStatusReportsNameConflictWithTheAdoptHint() {
    world.apply(agent("w4", SimulatedWorld.CONTROL_PLANE));
    String id = world.env.awaitReady("w4").getStatus().getDeploymentId();
    // A restore without status (or kubectl replace --force after the finalizer went): same spec, nothing recorded.
    world.env.stopOperator();
    world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName("w4").edit(a -> {
      a.getMetadata().setFinalizers(List.of());
      return a;
    });
    world.delete("w4");
    world.env.awaitGone("w4");
    Instant recreated = Instant.now();
    world.apply(agent("w4", SimulatedWorld.CONTROL_PLANE));
    world.env.startOperator();
    world.env.awaitAgent("w4", Duration.ofSeconds(20), reason(Conditions.SYNCED, "NameConflict"));
    assertTrue(synced("w4").contains(id) && synced("w4").contains("agentdeploy.io/adopt"), synced("w4"));
    assertTrue(world.traffic("w4", null).stream().anyMatch(r -> r.time().isAfter(recreated)
        && r.operation() == SimOperation.LIST_DEPLOYMENTS), "the lookup ran");
    holdsFor(Duration.ofSeconds(3), () -> reason(Conditions.SYNCED, "NameConflict").test(world.env.get("w4")));
    assertEquals(1, world.count("w4", null, SimOperation.CREATE_DEPLOYMENT));

    annotate("w4", Annotations.ADOPT, "by-name");
    AgentDeployment adopted = world.env.awaitReady("w4");
    assertEquals(id, adopted.getStatus().getDeploymentId());
    assertEquals(1, world.count("w4", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals(1, world.remote("w4").size());
  }

  // A7
  @Test
  void anUpgradeWithoutARecordedAccountWhoseDeploymentReadsNotFoundIsAnAccountChange() {
    world.apply(agent("a7", SimulatedWorld.CONTROL_PLANE));
    String id = world.env.awaitReady("a7").getStatus().getDeploymentId();
    world.env.stopOperator();
    // Status as an operator version before account identity left it, and the id reads not-found now.
    editStatus("a7", s -> {
      s.setAccount(null);
      s.setAccountSettings(null);
      return s;
    });
    world.sim.langsmith().deleteOutOfBand(id);
    await().atMost(Duration.ofSeconds(10)).until(() -> world.remote("a7").isEmpty());
    Instant restarted = Instant.now();
    world.env.startOperator();
    world.env.awaitAgent("a7", Duration.ofSeconds(20), reason(Conditions.SYNCED, "ControlPlaneChanged"));
    assertTrue(synced("a7").contains(id), synced("a7"));
    holdsFor(Duration.ofSeconds(3), () -> reason(Conditions.SYNCED, "ControlPlaneChanged").test(world.env.get("a7")));
    assertEquals(List.of(), world.traffic("a7", id).stream().filter(r -> r.time().isAfter(restarted)
        && r.operation().isWrite()).toList(), "no create, no delete");
    assertEquals(0, world.env.eventCount("a7", "RemoteDeleted"), "not taken as a deletion");
    assertEquals(id, world.env.get("a7").getStatus().getDeploymentId());
  }

  // EU move to a new account
  @Test
  void aMoveToANewHostAndAccountOnceAcceptedOrphansTheOldDeploymentAndCreatesAnother() {
    String cp = "edge-eu-cp";
    world.env.client.resource(Resources.controlPlane(cp, world.sim.baseUrl(), "langsmith-key", SimulatedWorld.TENANT))
        .create();
    world.apply(agent("eu", cp));
    String oldId = world.env.awaitReady("eu").getStatus().getDeploymentId();
    String oldAccount = account(world.sim.baseUrl(), SimulatedWorld.TENANT);
    String newAccount = account(eu.baseUrl(), SimulatedWorld.TENANT);
    assertNotEquals(oldAccount, newAccount);
    editControlPlane(cp, c -> {
      c.getSpec().setBaseUrl(eu.baseUrl());
      return c;
    });
    world.env.awaitAgent("eu", Duration.ofSeconds(20), reason(Conditions.SYNCED, "ControlPlaneChanged"));
    assertTrue(synced("eu").contains(newAccount) && synced("eu").contains(oldAccount), synced("eu"));
    holdsFor(Duration.ofSeconds(3), () -> reason(Conditions.SYNCED, "ControlPlaneChanged").test(world.env.get("eu")));
    assertEquals(0, eu.requests().count(SimOperation.CREATE_DEPLOYMENT), "nothing created before the move is accepted");

    editControlPlane(cp, c -> {
      Map<String, String> annotations = c.getMetadata().getAnnotations() == null ? new HashMap<>()
          : new HashMap<>(c.getMetadata().getAnnotations());
      annotations.put("agentdeploy.io/accept-account", newAccount);
      c.getMetadata().setAnnotations(annotations);
      return c;
    });
    // (The write-ahead write before the new create carries the new account and no id yet.)
    AgentDeployment moved = world.env.awaitAgent("eu", Duration.ofSeconds(30),
        a -> newAccount.equals(a.getStatus().getAccount()) && a.getStatus().getDeploymentId() != null
            && !oldId.equals(a.getStatus().getDeploymentId()) && OperatorHarness.readyNow(a));
    String newId = moved.getStatus().getDeploymentId();
    assertNotEquals(oldId, newId);
    assertTrue(moved.getStatus().getOrphaned() != null
        && moved.getStatus().getOrphaned().stream().anyMatch(o -> o.contains(oldId) && o.contains(oldAccount)),
        "orphaned: " + moved.getStatus().getOrphaned());
    await().atMost(Duration.ofSeconds(5)).until(() -> world.env.eventCount("eu", "Orphaned") == 1);
    List<JsonNode> there = eu.langsmith().deployments().stream().filter(d -> "eu".equals(d.path("name").asText()))
        .toList();
    assertEquals(1, there.size(), "one deployment in the new account");
    assertEquals(newId, there.get(0).path("id").asText());
    JsonNode old = world.remote("eu").stream().filter(d -> oldId.equals(d.path("id").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("the old deployment stays where it was"));
    assertEquals("READY", old.path("status").asText());
    assertEquals(0, world.count("eu", oldId, SimOperation.DELETE_DEPLOYMENT)
        + world.count("eu", oldId, SimOperation.PATCH_DEPLOYMENT));
    assertEquals(1, world.count("eu", null, SimOperation.CREATE_DEPLOYMENT), "one create on the old host");
  }

  // C4
  @Test
  void aDeploymentThatReadGoneAndIsListedAgainIsTakenBackAsItIs() {
    world.apply(agent("c4", SimulatedWorld.CONTROL_PLANE));
    String id = world.env.awaitReady("c4").getStatus().getDeploymentId();
    Instant from = Instant.now();
    // A read replica loses it for a moment: the read by id says not-found and the id-filtered list agrees.
    world.sim.langsmith().unseenByIdUntil(id, Instant.now().plusSeconds(3));
    annotate("c4", Annotations.RECONCILE_REQUESTED_AT, from.toString());
    await().atMost(Duration.ofSeconds(20)).until(() -> world.env.eventCount("c4", "RemoteDeleted") >= 1);
    List<RecordedRequest> notFound = world.traffic("c4", id).stream().filter(r -> r.time().isAfter(from)
        && r.operation() == SimOperation.GET_DEPLOYMENT && r.status() == 404).toList();
    assertTrue(!notFound.isEmpty(), "the deployment read not-found");
    await().atMost(Duration.ofSeconds(10)).until(() -> !Instant.now().isBefore(from.plusSeconds(4)));
    AgentDeployment back = world.env.awaitReady("c4");
    holdsFor(Duration.ofSeconds(3), () -> OperatorHarness.readyNow(world.env.get("c4")));
    assertEquals(id, back.getStatus().getDeploymentId());
    assertEquals(0, world.count("c4", id, SimOperation.PATCH_DEPLOYMENT), "no PATCH");
    assertEquals(0, world.env.eventCount("c4", "Adopted"), "no adoption");
    assertEquals(1, world.count("c4", null, SimOperation.CREATE_DEPLOYMENT), "no second create");
    assertEquals(1, world.remote("c4").size());
  }
}

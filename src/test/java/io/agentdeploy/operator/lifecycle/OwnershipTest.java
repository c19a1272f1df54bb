package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ownership rules on LangSmith (issue 8): the account a deployment lives in, write-ahead recovery
 * of lost answers, confirmed absence, and names taken by someone else. Every test has its own
 * ControlPlane where it edits one, and the resources of a test are released after it, so faults
 * queued for one operation reach only the test that queued them.
 */
class OwnershipTest {
  private static final String OTHER_TENANT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
  }

  @AfterAll
  static void stop() {
    world.close();
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

  /** A ControlPlane of its own for a test that edits it (the shared one stays as it is). */
  private static void controlPlane(String name, String baseUrl, String tenant) {
    world.env.client.resource(Resources.controlPlane(name, baseUrl, "langsmith-key", tenant)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> cpReady(world.env.controlPlane(name)));
  }

  private static void editControlPlane(String name, UnaryOperator<ControlPlane> change) {
    world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS).withName(name).edit(change);
  }

  private static void accept(String controlPlane, String account) {
    editControlPlane(controlPlane, cp -> {
      Map<String, String> annotations = cp.getMetadata().getAnnotations() == null ? new HashMap<>()
          : new HashMap<>(cp.getMetadata().getAnnotations());
      annotations.put("agentdeploy.io/accept-account", account);
      cp.getMetadata().setAnnotations(annotations);
      return cp;
    });
  }

  private static void annotate(String name, String key, String value) {
    world.edit(name, a -> {
      Map<String, String> annotations = a.getMetadata().getAnnotations() == null ? new HashMap<>()
          : new HashMap<>(a.getMetadata().getAnnotations());
      annotations.put(key, value);
      a.getMetadata().setAnnotations(annotations);
      return a;
    });
  }

  private static String account(String baseUrl, String tenant) {
    return AccountKey.of(baseUrl, tenant, SimulatedWorld.API_KEY).display();
  }

  private static String syncedMessage(String name) {
    return condition(world.env.get(name), Conditions.SYNCED).map(c -> c.getMessage()).orElse("");
  }

  /** Remote writes (POST, PATCH, DELETE) for this deployment name or id after {@code from}. */
  private static List<RecordedRequest> writesAfter(Instant from, String name, String id) {
    return world.traffic(name, id).stream().filter(r -> r.time().isAfter(from) && r.operation().isWrite()).toList();
  }

  static boolean cpReady(ControlPlane cp) {
    return cp != null && cp.getStatus() != null && Conditions.isTrue(cp.getStatus().getConditions(), Conditions.READY)
        && java.util.Objects.equals(cp.getStatus().getObservedGeneration(), cp.getMetadata().getGeneration());
  }

  private static void holdsFor(Duration period, java.util.concurrent.Callable<Boolean> invariant) {
    await().during(period).atMost(period.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(invariant);
  }

  // 1
  @Test
  void tenantChangeBlocksEverythingUntilAcceptedThenOrphansAndCreatesInTheNewTenant() {
    String cp = "own-tenant-cp";
    controlPlane(cp, world.sim.baseUrl(), SimulatedWorld.TENANT);
    world.apply(agent("own-tenant", cp));
    world.apply(agent("own-tenant-del", cp));
    AgentDeployment ready = world.env.awaitReady("own-tenant");
    String oldId = ready.getStatus().getDeploymentId();
    String delId = world.env.awaitReady("own-tenant-del").getStatus().getDeploymentId();
    String oldAccount = account(world.sim.baseUrl(), SimulatedWorld.TENANT);
    String newAccount = account(world.sim.baseUrl(), OTHER_TENANT);
    assertEquals(oldAccount, ready.getStatus().getAccount());
    assertNotNull(ready.getStatus().getAccountSettings());

    Instant edited = Instant.now();
    editControlPlane(cp, c -> {
      c.getSpec().setTenantId(OTHER_TENANT);
      return c;
    });
    world.env.awaitAgent("own-tenant", Duration.ofSeconds(20), reason(Conditions.SYNCED, "ControlPlaneChanged"));
    world.env.awaitAgent("own-tenant-del", Duration.ofSeconds(20), reason(Conditions.SYNCED, "ControlPlaneChanged"));
    assertTrue(syncedMessage("own-tenant").contains(newAccount), syncedMessage("own-tenant"));
    world.delete("own-tenant-del");
    // Several resyncs (3 s each): nothing is created, changed or deleted, and the deletion waits.
    holdsFor(Duration.ofSeconds(4), () -> {
      AgentDeployment deleting = world.env.get("own-tenant-del");
      return deleting != null && deleting.getMetadata().getFinalizers().contains("agentdeploy.io/finalizer")
          && reason(Conditions.SYNCED, "ControlPlaneChanged").test(deleting)
          && reason(Conditions.SYNCED, "ControlPlaneChanged").test(world.env.get("own-tenant"));
    });
    assertEquals(List.of(), writesAfter(edited, "own-tenant", oldId));
    assertEquals(List.of(), writesAfter(edited, "own-tenant-del", delId));
    assertEquals(oldId, world.env.get("own-tenant").getStatus().getDeploymentId());

    // Every status the move writes, to check that none claims Ready without a deployment.
    List<String> readyWithoutId = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    io.fabric8.kubernetes.client.Watch watch = world.env.client.resources(AgentDeployment.class)
        .inNamespace(Resources.NS).withName("own-tenant").watch(new io.fabric8.kubernetes.client.Watcher<>() {
          @Override
          public void eventReceived(Action action, AgentDeployment a) {
            seen.add(a.getMetadata().getResourceVersion());
            if (a.getStatus() != null && a.getStatus().getDeploymentId() == null && OperatorHarness.readyNow(a)) {
              readyWithoutId.add(a.getMetadata().getResourceVersion());
            }
          }

          @Override
          public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
          }
        });
    accept(cp, newAccount);
    AgentDeployment moved = world.env.awaitAgent("own-tenant", Duration.ofSeconds(30),
        a -> !oldId.equals(a.getStatus().getDeploymentId()) && a.getStatus().getDeploymentId() != null
            && OperatorHarness.readyNow(a));
    String movedVersion = moved.getMetadata().getResourceVersion();
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(movedVersion));
    watch.close();
    assertEquals(List.of(), readyWithoutId, "statuses that said Ready with no deployment during the move (last "
        + movedVersion + ")");
    world.env.awaitGone("own-tenant-del");
    String newId = moved.getStatus().getDeploymentId();
    assertEquals(newAccount, moved.getStatus().getAccount());
    assertTrue(moved.getStatus().getOrphaned() != null
        && moved.getStatus().getOrphaned().stream().anyMatch(o -> o.contains(oldId)), "orphaned: "
            + moved.getStatus().getOrphaned());
    await().atMost(Duration.ofSeconds(5)).until(() -> world.env.eventCount("own-tenant", "Orphaned") == 1
        && world.env.eventCount("own-tenant-del", "Orphaned") == 1);
    // The new deployment was created with the new tenant; the old ones are untouched in the old one.
    List<RecordedRequest> creates = world.traffic("own-tenant", null).stream()
        .filter(r -> r.operation() == SimOperation.CREATE_DEPLOYMENT && r.status() / 100 == 2).toList();
    assertEquals(2, creates.size(), creates.toString());
    assertEquals(OTHER_TENANT, creates.get(1).headers().get("x-tenant-id"));
    assertTrue(world.remote("own-tenant").stream().anyMatch(d -> newId.equals(d.path("id").asText())));
    JsonNode old = world.remote("own-tenant").stream().filter(d -> oldId.equals(d.path("id").asText()))
        .findFirst().orElseThrow(() -> new AssertionError("the old deployment must stay in the old tenant"));
    assertEquals("READY", old.path("status").asText());
    assertTrue(world.remote("own-tenant-del").stream().anyMatch(d -> delId.equals(d.path("id").asText())
        && "READY".equals(d.path("status").asText())), "the deleted resource's deployment is left in the old tenant");
    assertEquals(0, world.count("own-tenant", oldId, SimOperation.DELETE_DEPLOYMENT)
        + world.count("own-tenant-del", delId, SimOperation.DELETE_DEPLOYMENT)
        + world.count("own-tenant", oldId, SimOperation.PATCH_DEPLOYMENT));
  }

  // 2
  @Test
  void sameAccountAtANewAddressKeepsTheDeploymentOnceAccepted() {
    String cp = "own-address-cp";
    controlPlane(cp, world.sim.baseUrl(), SimulatedWorld.TENANT);
    world.apply(agent("own-address", cp));
    String id = world.env.awaitReady("own-address").getStatus().getDeploymentId();
    String newBase = world.sim.baseUrl().replaceAll("/+$", "") + "/api-host";
    String newAccount = account(newBase, SimulatedWorld.TENANT);
    editControlPlane(cp, c -> {
      c.getSpec().setBaseUrl(newBase);
      return c;
    });
    world.env.awaitAgent("own-address", Duration.ofSeconds(20), reason(Conditions.SYNCED, "ControlPlaneChanged"));
    assertTrue(syncedMessage("own-address").contains(newAccount), syncedMessage("own-address"));
    Instant acceptedAt = Instant.now();
    accept(cp, newAccount);
    AgentDeployment moved = world.env.awaitAgent("own-address", Duration.ofSeconds(20),
        a -> newAccount.equals(a.getStatus().getAccount()) && OperatorHarness.readyNow(a));
    assertEquals(id, moved.getStatus().getDeploymentId());
    await().atMost(Duration.ofSeconds(5)).until(() -> world.env.eventCount("own-address", "AccountMoved") == 1);
    assertEquals(0, world.env.eventCount("own-address", "Orphaned"));
    assertEquals(1, world.count("own-address", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals(0, world.count("own-address", id, SimOperation.PATCH_DEPLOYMENT));
    assertEquals(1, world.remote("own-address").size());
    // (The simulator logs /api-host paths without the prefix; status.account above names the new address.)
    assertTrue(world.traffic("own-address", id).stream().anyMatch(r -> r.time().isAfter(acceptedAt)
        && r.operation() == SimOperation.GET_DEPLOYMENT && r.status() == 200), "read again after the move");
  }

  // 3
  @Test
  void aWrongAcceptanceIsIgnoredAndReported() {
    String cp = "own-wrong-cp";
    controlPlane(cp, world.sim.baseUrl(), SimulatedWorld.TENANT);
    world.apply(agent("own-wrong", cp));
    String id = world.env.awaitReady("own-wrong").getStatus().getDeploymentId();
    editControlPlane(cp, c -> {
      c.getSpec().setTenantId(OTHER_TENANT);
      return c;
    });
    world.env.awaitAgent("own-wrong", Duration.ofSeconds(20), reason(Conditions.SYNCED, "ControlPlaneChanged"));
    Instant accepted = Instant.now();
    // The old account, not the one the ControlPlane now addresses.
    accept(cp, account(world.sim.baseUrl(), SimulatedWorld.TENANT));
    AgentDeployment refused = world.env.awaitAgent("own-wrong", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "AccountNotAccepted"));
    assertTrue(condition(refused, Conditions.SYNCED).get().getMessage().contains(SimulatedWorld.TENANT));
    holdsFor(Duration.ofSeconds(4), () -> reason(Conditions.SYNCED, "AccountNotAccepted").test(world.env.get("own-wrong")));
    assertEquals(List.of(), writesAfter(accepted, "own-wrong", id));
    assertEquals(id, world.env.get("own-wrong").getStatus().getDeploymentId());
    assertEquals(1, world.env.eventCount("own-wrong", "AccountNotAccepted"));
  }

  // 5
  @Test
  void upgradeWithoutARecordedAccountRecordsItOnTheNextReadWithoutAWrite() {
    world.apply(agent("own-upgrade", SimulatedWorld.CONTROL_PLANE));
    AgentDeployment ready = world.env.awaitReady("own-upgrade");
    String id = ready.getStatus().getDeploymentId();
    String expected = ready.getStatus().getAccount();
    assertEquals(account(world.sim.baseUrl(), SimulatedWorld.TENANT), expected);
    Instant removed = Instant.now();
    AgentDeployment stripped = await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
        world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName("own-upgrade")
            .editStatus(a -> {
              a.getStatus().setAccount(null);
              a.getStatus().setAccountSettings(null);
              return a;
            }), a -> a != null);
    assertNull(stripped.getStatus().getAccount(), "status as an older operator version left it");
    AgentDeployment recorded = world.env.awaitAgent("own-upgrade", Duration.ofSeconds(20),
        a -> expected.equals(a.getStatus().getAccount()) && a.getStatus().getAccountSettings() != null);
    assertTrue(OperatorHarness.readyNow(recorded));
    assertEquals(id, recorded.getStatus().getDeploymentId());
    assertEquals(List.of(), writesAfter(removed, "own-upgrade", id));
    assertTrue(world.traffic("own-upgrade", id).stream().anyMatch(r -> r.time().isAfter(removed)
        && r.operation() == SimOperation.GET_DEPLOYMENT && r.status() == 200));
  }

  // 6
  @Test
  void proxyAndRouteNotFoundsAreNeverADeletion() {
    world.apply(agent("own-html", SimulatedWorld.CONTROL_PLANE));
    String id = world.env.awaitReady("own-html").getStatus().getDeploymentId();
    Instant from = Instant.now();
    // A steady resource answers from its account's batched list: a requested reconcile reads it
    // itself, and every retry after a failed single read reads again.
    world.sim.faults().next(SimOperation.GET_DEPLOYMENT, 4, new Fault.HtmlNotFound());
    requestReconcile("own-html");
    await().atMost(Duration.ofSeconds(20)).until(() -> world.sim.faults().queued(SimOperation.GET_DEPLOYMENT) == 0);
    world.sim.faults().next(SimOperation.GET_DEPLOYMENT, 4, new Fault.BareNotFound());
    requestReconcile("own-html");
    await().atMost(Duration.ofSeconds(20)).until(() -> world.sim.faults().queued(SimOperation.GET_DEPLOYMENT) == 0);
    // Back to normal: a successful read after the faults, and still the same deployment.
    await().atMost(Duration.ofSeconds(20)).until(() -> world.traffic("own-html", id).stream()
        .filter(r -> r.time().isAfter(from) && r.operation() == SimOperation.GET_DEPLOYMENT).reduce((a, b) -> b)
        .map(r -> r.status() == 200).orElse(false));
    List<RecordedRequest> notFounds = world.traffic("own-html", id).stream()
        .filter(r -> r.time().isAfter(from) && r.status() == 404).toList();
    assertEquals(8, notFounds.size(), "the faults reached this deployment's reads: " + notFounds);
    assertEquals(List.of(), writesAfter(from, "own-html", id));
    assertEquals(1, world.count("own-html", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals(0, world.env.eventCount("own-html", "RemoteDeleted"));
    AgentDeployment after = world.env.awaitReady("own-html");
    assertEquals(id, after.getStatus().getDeploymentId());
    assertEquals(1, world.remote("own-html").size());

    // During deletion: the finalizer goes only once the remote deployment is really gone.
    world.sim.faults().next(SimOperation.GET_DEPLOYMENT, 6, new Fault.HtmlNotFound());
    world.delete("own-html");
    world.env.awaitGone("own-html");
    List<JsonNode> remaining = world.remote("own-html");
    assertTrue(remaining.stream().allMatch(d -> "AWAITING_DELETE".equals(d.path("status").asText())),
        "released while the remote deployment still runs: " + remaining);
    assertEquals(1, world.count("own-html", id, SimOperation.DELETE_DEPLOYMENT));
    assertTrue(world.traffic("own-html", id).stream().anyMatch(r -> r.operation() == SimOperation.GET_DEPLOYMENT
        && r.status() == 404 && r.responseBody() != null && r.responseBody().contains(id)),
        "released after the API's own not-found");
  }

  // 7
  @Test
  void lostCreateAnswerWithASecretEnvIsRecoveredWithoutAPatch() {
    world.env.client.resource(Resources.secret("own-lost-create-env", Map.of("token", "tok-lost-create"))).create();
    AgentDeployment agd = agent("own-lost-create", SimulatedWorld.CONTROL_PLANE);
    agd.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("API_TOKEN", "own-lost-create-env", "token"));
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.SaveThenFail(0));
    world.apply(agd);
    AgentDeployment ready = world.env.awaitReady("own-lost-create");
    String id = ready.getStatus().getDeploymentId();
    // A few resyncs later, still one POST and no PATCH.
    holdsFor(Duration.ofSeconds(4), () -> OperatorHarness.readyNow(world.env.get("own-lost-create")));
    assertEquals(1, world.count("own-lost-create", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals(0, world.count("own-lost-create", id, SimOperation.PATCH_DEPLOYMENT));
    assertEquals(1, world.sim.langsmith().revisions(id).size());
    assertEquals(1, world.remote("own-lost-create").size());
    assertEquals(1, world.env.eventCount("own-lost-create", "Recovered"));
    assertNull(world.env.get("own-lost-create").getStatus().getWriteAhead());
  }

  // 8
  @Test
  void lostPatchAnswerIsRecoveredFromTheNewRevisionNotResent() {
    world.apply(agent("own-lost-patch", SimulatedWorld.CONTROL_PLANE));
    String id = world.env.awaitReady("own-lost-patch").getStatus().getDeploymentId();
    world.sim.faults().next(SimOperation.PATCH_DEPLOYMENT, 1, new Fault.SaveThenFail(0));
    world.edit("own-lost-patch", a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
      return a;
    });
    AgentDeployment second = world.env.awaitAgent("own-lost-patch", Duration.ofSeconds(30),
        a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
    assertEquals(id, second.getStatus().getDeploymentId());
    holdsFor(Duration.ofSeconds(4), () -> OperatorHarness.readyNow(world.env.get("own-lost-patch")));
    assertEquals(1, world.count("own-lost-patch", id, SimOperation.PATCH_DEPLOYMENT));
    assertEquals(2, world.sim.langsmith().revisions(id).size());
    assertEquals("registry.example.com/agent:2",
        world.remote("own-lost-patch").get(0).at("/source_revision_config/image_uri").asText());
    assertEquals(1, world.env.eventCount("own-lost-patch", "Recovered"));
  }

  // 9
  @Test
  void aSameNamedDeploymentMadeOutOfBandLongAfterOurCreateIsAConflictUntilAdopted() {
    world.apply(agent("own-oob", SimulatedWorld.CONTROL_PLANE));
    String ours = world.env.awaitReady("own-oob").getStatus().getDeploymentId();
    // Someone deletes ours in the UI and makes their own with the same name, well after our create.
    world.sim.langsmith().deleteOutOfBand(ours);
    String oob = world.sim.langsmith().createOutOfBand(SimulatedWorld.TENANT, "own-oob",
        "registry.example.com/other:1", Instant.now());
    AgentDeployment conflict = world.env.awaitAgent("own-oob", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "NameConflict"));
    assertTrue(condition(conflict, Conditions.SYNCED).get().getMessage().contains(oob),
        condition(conflict, Conditions.SYNCED).get().getMessage());
    holdsFor(Duration.ofSeconds(4), () -> reason(Conditions.SYNCED, "NameConflict").test(world.env.get("own-oob"))
        && !oob.equals(world.env.get("own-oob").getStatus().getDeploymentId()));
    assertEquals(1, world.count("own-oob", null, SimOperation.CREATE_DEPLOYMENT), "no create after ours");
    assertEquals(0, world.count("own-oob", oob, SimOperation.PATCH_DEPLOYMENT));
    assertEquals(0, world.env.eventCount("own-oob", "Adopted") + world.env.eventCount("own-oob", "Recovered"));
    assertEquals("registry.example.com/other:1", world.remote("own-oob").stream()
        .filter(d -> oob.equals(d.path("id").asText())).findFirst().orElseThrow()
        .at("/source_revision_config/image_uri").asText());

    annotate("own-oob", "agentdeploy.io/adopt", "by-name");
    AgentDeployment adopted = world.env.awaitAgent("own-oob", Duration.ofSeconds(30),
        a -> oob.equals(a.getStatus().getDeploymentId()) && OperatorHarness.readyNow(a));
    assertEquals(oob, adopted.getStatus().getDeploymentId());
    assertEquals(1, world.env.eventCount("own-oob", "Adopted"));
    assertEquals(1, world.count("own-oob", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals(1, world.remote("own-oob").size());
    assertEquals("registry.example.com/agent:1",
        world.remote("own-oob").get(0).at("/source_revision_config/image_uri").asText());
  }

  // 10
  @Test
  void createAnsweredAlreadyExistsForOurOwnWriteIsRecovered() {
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.SaveThenFail(400));
    world.apply(agent("own-400", SimulatedWorld.CONTROL_PLANE));
    AgentDeployment ready = world.env.awaitReady("own-400");
    String id = ready.getStatus().getDeploymentId();
    assertEquals(1, world.count("own-400", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals(400, world.traffic("own-400", null).stream()
        .filter(r -> r.operation() == SimOperation.CREATE_DEPLOYMENT).findFirst().orElseThrow().status());
    assertEquals(0, world.env.eventCount("own-400", "RemoteRejected"));
    assertEquals(1, world.env.eventCount("own-400", "Recovered"));
    assertNull(ready.getStatus().getRejectedStateHash());
    assertEquals(1, world.remote("own-400").size());
    assertEquals(id, world.remote("own-400").get(0).path("id").asText());
    assertEquals(0, world.count("own-400", id, SimOperation.PATCH_DEPLOYMENT));
    assertNotEquals("RemoteRejected", condition(world.env.get("own-400"), Conditions.SYNCED).get().getReason());
  }

  private static void requestReconcile(String name) {
    String at = Instant.now().toString() + "-" + System.nanoTime();
    world.edit(name, a -> {
      if (a.getMetadata().getAnnotations() == null) {
        a.getMetadata().setAnnotations(new HashMap<>());
      }
      a.getMetadata().getAnnotations().put(io.agentdeploy.operator.controller.Annotations.RECONCILE_REQUESTED_AT, at);
      return a;
    });
  }
}

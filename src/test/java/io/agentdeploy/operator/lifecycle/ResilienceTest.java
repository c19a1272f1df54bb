package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crashes, outages and a remote that refuses changes during a rollout (REJECT mode, slower
 * revisions), plus the steady state: once Ready, resyncs read but never write.
 */
class ResilienceTest {
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatorConfig.defaults()
        .withTimings(Duration.ofMillis(250), Duration.ofMillis(100), Duration.ofMillis(500))
        .withPatchDuringRollout(SimulatorConfig.PatchDuringRollout.REJECT), OperatorHarness.FAST);
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

  private static AgentDeployment agent(String name, String image) {
    return Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, image);
  }

  @Test
  void operatorRestartBetweenCreateAndStatusWriteLeavesOneDeployment() {
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.SaveThenFail(0));
    world.env.stopOperator();
    world.apply(agent("crash-after-post", "registry.example.com/agent:1"));
    world.env.startOperator();
    await().atMost(Duration.ofSeconds(10)).until(() -> world.count("crash-after-post", null,
        SimOperation.CREATE_DEPLOYMENT) == 1);
    // The create reached the remote but its answer never did: restart before anything else happens.
    world.env.restartOperator();
    AgentDeployment ready = world.env.awaitReady("crash-after-post");
    assertEquals(1, world.remote("crash-after-post").size());
    assertEquals(1, world.count("crash-after-post", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals(world.remote("crash-after-post").get(0).path("id").asText(), ready.getStatus().getDeploymentId());
  }

  @Test
  void specChangeDuringRolloutIsRetriedUntilTheRemoteAcceptsIt() {
    Set<String> syncedReasons = ConcurrentHashMap.newKeySet();
    world.apply(agent("busy-rollout", "registry.example.com/agent:1"));
    world.env.awaitAgent("busy-rollout", Duration.ofSeconds(10), a -> a.getStatus() != null
        && a.getStatus().getDeploymentId() != null);
    world.edit("busy-rollout", a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
      return a;
    });
    world.env.awaitAgent("busy-rollout", Duration.ofSeconds(30), a -> {
      condition(a, Conditions.SYNCED).ifPresent(c -> syncedReasons.add(c.getReason()));
      return a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a);
    });
    String id = world.remote("busy-rollout").get(0).path("id").asText();
    List<RecordedRequest> patches = world.traffic("busy-rollout", id).stream()
        .filter(r -> r.operation() == SimOperation.PATCH_DEPLOYMENT).toList();
    assertTrue(patches.get(0).status() == 400, "the first PATCH met the rollout in progress: " + patches);
    assertEquals(200, patches.get(patches.size() - 1).status());
    assertTrue(syncedReasons.contains("RolloutInProgress"), "seen reasons " + syncedReasons);
    assertEquals("registry.example.com/agent:2",
        world.remote("busy-rollout").get(0).at("/source_revision_config/image_uri").asText());
  }

  @Test
  void remoteDownForMoreThanSixAttemptsThenBackConverges() {
    world.sim.faults().down(true);
    Instant from = Instant.now();
    world.apply(agent("outage-create", "registry.example.com/agent:1"));
    // The ControlPlane check and the deployment's own calls both keep trying, with backoff.
    await().atMost(Duration.ofSeconds(30)).until(() -> world.sim.requests().matching(r -> r.status() == 503
        && r.time().isAfter(from)).size() >= 7);
    AgentDeployment waiting = world.env.get("outage-create");
    assertTrue(Set.of("RemoteUnavailable", "ControlPlaneNotReady")
        .contains(condition(waiting, Conditions.SYNCED).get().getReason()), "reason while down");
    assertEquals("False", condition(waiting, Conditions.READY).get().getStatus());
    world.sim.faults().down(false);
    world.env.awaitReady("outage-create");
    assertEquals(1, world.remote("outage-create").size());
  }

  @Test
  void remoteDownDuringAPendingDeleteThenBackConverges() {
    world.apply(agent("outage-delete", "registry.example.com/agent:1"));
    String id = world.env.awaitReady("outage-delete").getStatus().getDeploymentId();
    world.sim.faults().down(true);
    world.delete("outage-delete");
    await().atMost(Duration.ofSeconds(30)).until(() -> world.traffic("outage-delete", id).stream()
        .filter(r -> r.status() == 503).count() >= 7);
    assertTrue(world.env.get("outage-delete") != null, "the finalizer holds while the remote is down");
    world.sim.faults().down(false);
    world.env.awaitGone("outage-delete");
    assertEquals(List.of(), world.remote("outage-delete"));
  }

  @Test
  void steadyStateResyncsReadButNeverWrite() throws Exception {
    world.apply(agent("steady-a", "registry.example.com/agent:1"));
    world.apply(agent("steady-b", "registry.example.com/agent:1"));
    world.env.awaitReady("steady-a");
    world.env.awaitReady("steady-b");
    Thread.sleep(500); // let the last RevisionDeployed status land
    Map<String, String> versions = Map.of("steady-a", world.env.get("steady-a").getMetadata().getResourceVersion(),
        "steady-b", world.env.get("steady-b").getMetadata().getResourceVersion());
    Instant from = Instant.now();
    Thread.sleep(7_000); // more than two resync periods (3 s)
    for (String name : versions.keySet()) {
      assertEquals(versions.get(name), world.env.get(name).getMetadata().getResourceVersion(),
          name + ": no status write on resync");
      String id = world.env.get(name).getStatus().getDeploymentId();
      List<RecordedRequest> after = world.traffic(name, id).stream().filter(r -> r.time().isAfter(from)).toList();
      assertTrue(after.stream().noneMatch(r -> r.operation().isWrite()), name + ": " + after);
      Map<SimOperation, Long> reads = after.stream().collect(Collectors.groupingBy(RecordedRequest::operation,
          Collectors.counting()));
      // Watched through the account's batched list (deployment_ids) or, where the list has nothing fresh, a GET.
      long listed = world.sim.requests().matching(r -> r.time().isAfter(from)
          && r.operation() == SimOperation.LIST_DEPLOYMENTS && r.query() != null && r.query().contains(id)).size();
      long gets = reads.getOrDefault(SimOperation.GET_DEPLOYMENT, 0L);
      assertTrue(listed + gets >= 1, name + " is still watched: " + reads);
      assertTrue(listed + gets <= 3, name + " reads per resync: " + reads + ", listed " + listed);
    }
  }
}

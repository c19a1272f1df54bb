package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deletions of one account due together while its budget (5 req/s) is saturated by new resources
 * (their lookups, creates and polls): the bulk call's sender finds no token and is given back, and so
 * are the others in its batch, to come back with it; they are not each sent alone. Counts and the
 * wall time are printed; only the counts are asserted.
 */
@Paced
class ThrottledBulkDeleteTest {
  private static final int NEW_RESOURCES = 30;
  private static final int DELETED = 20;
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  void aThrottledBulkDeleteKeepsItsBatchTogether() throws Exception {
    for (int i = 0; i < DELETED; i++) {
      world.apply(Resources.dockerAgent("ready-" + i, SimulatedWorld.CONTROL_PLANE, "registry.example.com/r:1"));
    }
    for (int i = 0; i < DELETED; i++) {
      world.env.awaitReady("ready-" + i);
    }
    world.limitAccount(SimulatedWorld.CONTROL_PLANE, 5, 5);
    // New resources fill the account's queue: their lookups, creates and polls want far more than 5 req/s.
    for (int i = 0; i < NEW_RESOURCES; i++) {
      world.apply(Resources.dockerAgent("poll-" + i, SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1"));
    }
    Thread.sleep(3000);

    world.sim.requests().clear();
    java.time.Instant deleted = java.time.Instant.now();
    for (int i = 0; i < DELETED; i++) {
      world.delete("ready-" + i);
    }
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> world.env.client
        .resources(AgentDeployment.class).inNamespace(Resources.NS).list().getItems().stream()
        .noneMatch(a -> a.getMetadata().getName().startsWith("ready-")));
    long wall = Duration.between(deleted, java.time.Instant.now()).toMillis();
    List<RecordedRequest> requests = world.sim.requests().all();
    Map<SimOperation, Long> deletes = new TreeMap<>(requests.stream()
        .filter(r -> r.operation() == SimOperation.DELETE_DEPLOYMENT || r.operation() == SimOperation.DELETE_DEPLOYMENTS)
        .collect(Collectors.groupingBy(RecordedRequest::operation, Collectors.counting())));
    long perItem = deletes.getOrDefault(SimOperation.DELETE_DEPLOYMENT, 0L);
    long bulk = deletes.getOrDefault(SimOperation.DELETE_DEPLOYMENTS, 0L);
    System.out.printf("throttled bulk delete: %d deletions beside %d new resources at 5 req/s: all gone in %d ms, "
        + "%d bulk calls, %d deleted alone%n", DELETED, NEW_RESOURCES, wall, bulk, perItem);
    for (int i = 0; i < DELETED; i++) {
      assertEquals(List.of(), world.remote("ready-" + i), "ready-" + i + " is gone remotely");
    }
    assertTrue(bulk >= 1, "the deletions went in bulk");
    // Before a throttled batch was kept together, runs sent 4 to 9 bulk calls and deleted 2 to 12 alone
    // (11 to 16 DELETE requests); kept together, they come back as one batch (1 or 2 requests so far).
    assertTrue(bulk + perItem <= DELETED / 4, "DELETE requests for " + DELETED + " deletions: " + bulk + " bulk, "
        + perItem + " alone");
  }
}

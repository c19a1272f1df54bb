package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many LangSmith resources of one account deleted at once against a small budget (5 req/s, burst
 * 5), on a remote whose teardown takes half a second: most confirmations of a 404 find no token for
 * their list and are given back. The retried pass sends only the list: no deployment is read twice
 * to an answer of 404, every resource goes, nothing is left on the remote, and the budget holds.
 * The requests per operation and the wall time are printed, not asserted.
 */
@Paced
class ThrottledMassDeletionTest {
  private static final int RESOURCES = 40;
  private static final double BUDGET = 5;
  private static final int BURST = 5;
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
  void aThrottledConfirmationDoesNotReadItsDeploymentAgain() {
    for (int i = 0; i < RESOURCES; i++) {
      world.apply(Resources.dockerAgent("mass-" + i, SimulatedWorld.CONTROL_PLANE, "registry.example.com/m:1"));
    }
    for (int i = 0; i < RESOURCES; i++) {
      world.env.awaitReady("mass-" + i);
    }
    world.limitAccount(SimulatedWorld.CONTROL_PLANE, BUDGET, BURST);

    world.sim.requests().clear();
    Instant deleted = Instant.now();
    world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).delete();
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> world.env.client
        .resources(AgentDeployment.class).inNamespace(Resources.NS).list().getItems().isEmpty());
    long wall = Duration.between(deleted, Instant.now()).toMillis();

    List<RecordedRequest> langsmith = world.sim.requests().all().stream()
        .filter(r -> !r.operation().name().startsWith("AGENTEX")).toList();
    Map<SimOperation, Long> byOperation = new TreeMap<>(langsmith.stream()
        .collect(Collectors.groupingBy(RecordedRequest::operation, Collectors.counting())));
    Map<String, Long> notFoundReads = langsmith.stream()
        .filter(r -> r.operation() == SimOperation.GET_DEPLOYMENT && r.status() == 404)
        .collect(Collectors.groupingBy(r -> r.path().substring(r.path().lastIndexOf('/') + 1), Collectors.counting()));
    System.out.printf("throttled mass deletion: %d resources at %.0f req/s (burst %d), all gone in %d ms, "
        + "%d requests: %s%n", RESOURCES, BUDGET, BURST, wall, langsmith.size(), byOperation);

    assertTrue(byOperation.getOrDefault(SimOperation.GET_DEPLOYMENT, 0L) > 0, "deletions were read");
    List<String> readTwice = notFoundReads.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
        .toList();
    assertEquals(List.of(), readTwice, "deployments read to a 404 more than once: " + notFoundReads);
    for (int i = 0; i < RESOURCES; i++) {
      assertEquals(List.of(), world.remote("mass-" + i), "mass-" + i + " is gone remotely");
    }
    assertTrue(world.env.runtime().meters().find("agentdeploy.remote.requests.deferred").tag("provider", "langsmith")
        .counters().stream().mapToDouble(c -> c.count()).sum() > 0, "the budget was saturated (calls deferred)");
    List<Instant> sent = langsmith.stream().map(RecordedRequest::time).toList();
    assertTrue(RequestTimes.busiestSecond(sent) <= BUDGET + BURST, "the budget holds");
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.agentdeploy.operator.runtime.OperatorRuntime;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One writer per create (issue 8, case 6): a second operator instance without leader election (a
 * replica scaled by hand, the standby of a rolling upgrade) against the same API server never
 * sends a second create. The write-ahead record, written with the resourceVersion the pass read,
 * is the lock: the instance whose record write loses the race looks up and sends nothing.
 */
class SecondWriterTest {
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

  private static List<RecordedRequest> agentexPosts(String agent) {
    return world.sim.requests().matching(r -> r.operation() == SimOperation.AGENTEX_CREATE && r.requestBody() != null
        && r.requestBody().contains("name: " + agent + "\\n"));
  }

  @Test
  void twoOperatorInstancesWithoutLeaderElectionSendOneCreateEach() {
    List<String> langsmith = IntStream.range(0, 4).mapToObj(i -> "twin-" + i).toList();
    List<String> agentex = IntStream.range(0, 4).mapToObj(i -> "twin-ax-" + i).toList();
    // Every call is slow (answered well inside the timeout): both instances see each resource while one writes.
    world.sim.faults().latency(Duration.ofMillis(300));
    try (OperatorRuntime twin = OperatorRuntime.start(world.env.kube.newClient(), OperatorHarness.FAST,
        Clock.systemUTC(), true)) {
      assertNotNull(twin);
      langsmith.forEach(n -> world.apply(Resources.dockerAgent(n, SimulatedWorld.CONTROL_PLANE,
          "registry.example.com/agent:1")));
      agentex.forEach(n -> world.apply(Resources.agentexAgent(n, SimulatedWorld.AGENTEX_CONTROL_PLANE, "1")));
      for (String n : langsmith) {
        world.env.awaitAgent(n, Duration.ofSeconds(60), OperatorHarness::readyNow);
      }
      for (String n : agentex) {
        world.env.awaitAgent(n, Duration.ofSeconds(60), OperatorHarness::readyNow);
      }
      // A few resyncs with both instances running.
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> langsmith.stream()
          .allMatch(n -> OperatorHarness.readyNow(world.env.get(n))));
      for (String n : langsmith) {
        assertEquals(1, world.count(n, null, SimOperation.CREATE_DEPLOYMENT), n + ": one POST");
        assertEquals(1, world.remote(n).size(), n);
        assertEquals(world.remote(n).get(0).path("id").asText(), world.env.get(n).getStatus().getDeploymentId());
      }
      for (String n : agentex) {
        assertEquals(1, agentexPosts(n).size(), n + ": one deploy POST");
        assertEquals(1, world.deploys(n).size(), n);
        assertEquals(world.deploys(n).get(0).path("id").asText(), world.env.get(n).getStatus().getDeploymentId());
      }
    } finally {
      world.sim.faults().latency(Duration.ZERO);
    }
  }
}

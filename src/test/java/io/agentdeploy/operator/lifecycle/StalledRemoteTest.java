package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.controller.AgentDeploymentReconciler;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A remote that stalls: one that accepts and never answers ({@link Fault.Hang}), one that sends the
 * status line, headers and part of the body and then stops ({@link Fault.StallMidBody}). With a 2 s
 * request timeout, a resource reports the trouble within the timeout plus 5 s, recovers when the
 * remote answers again, and a deletion started during the stall completes; a create or PATCH whose
 * answer stalled after the remote applied it is looked up, not sent again.
 */
class StalledRemoteTest {
  private static final Duration REQUEST_TIMEOUT = OperatorHarness.FAST.requestTimeout();
  /** The bound issue 9 sets: the request timeout plus 5 s. */
  private static final Duration REPORT_BOUND = REQUEST_TIMEOUT.plusSeconds(5);
  /** What a resource shows while its remote (or its ControlPlane's check of it) does not answer. */
  private static final Set<String> TROUBLE = Set.of("RemoteUnavailable", "ControlPlaneNotReady");

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
  void lift() {
    world.sim.faults().clear();
    world.assertContract();
  }

  private static AgentDeployment agent(String name, String image) {
    return Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, image);
  }

  private static Fault stall(String kind) {
    return "hang".equals(kind) ? new Fault.Hang() : new Fault.StallMidBody();
  }

  @ParameterizedTest
  @ValueSource(strings = {"hang", "mid-body"})
  void aStalledRemoteIsReportedInTimeRecoveredFromAndDeletionsStillComplete(String kind) {
    String kept = "stall-kept-" + kind;
    String gone = "stall-gone-" + kind;
    world.apply(agent(kept, "registry.example.com/agent:1"));
    world.apply(agent(gone, "registry.example.com/agent:1"));
    String keptId = world.env.awaitReady(kept).getStatus().getDeploymentId();
    String goneId = world.env.awaitReady(gone).getStatus().getDeploymentId();

    Instant stalledFrom = Instant.now();
    world.sim.faults().stall(stall(kind));
    // The next resync reads the deployment, or the ControlPlane's check reads the remote, and meets
    // the stall: from then on the bound runs.
    RecordedRequest stalledRead = await().atMost(Duration.ofSeconds(10)).until(
        () -> first(world.sim.requests().matching(r -> r.path().contains(keptId) || controlPlaneCheck(r)),
            stalledFrom), r -> r != null);
    AgentDeployment reported = world.env.awaitAgent(kept, remainingOf(stalledRead), a -> condition(a,
        Conditions.SYNCED).map(c -> "False".equals(c.getStatus()) && TROUBLE.contains(c.getReason())).orElse(false));
    System.out.printf("stall %s: %s reported %s %d ms after the first stalled request (bound %d ms)%n", kind, kept,
        condition(reported, Conditions.SYNCED).get().getReason(),
        Duration.between(stalledRead.time(), Instant.now()).toMillis(), REPORT_BOUND.toMillis());

    Instant deletedAt = Instant.now();
    world.delete(gone);
    await().atMost(Duration.ofSeconds(10)).until(() -> first(world.traffic(gone, goneId), deletedAt) != null);
    AgentDeployment held = world.env.get(gone);
    assertNotNull(held, "the finalizer holds while the remote stalls");
    assertTrue(held.getMetadata().getFinalizers().contains(AgentDeploymentReconciler.FINALIZER));
    assertTrue(world.sim.faults().stalledExchanges() > 0, "the remote really held exchanges open");

    world.sim.faults().stall(null);
    AgentDeployment recovered = world.env.awaitAgent(kept, Duration.ofSeconds(30), a -> OperatorHarness.readyNow(a)
        && condition(a, Conditions.SYNCED).map(c -> "True".equals(c.getStatus())).orElse(false));
    assertEquals(keptId, recovered.getStatus().getDeploymentId());
    assertEquals(1, world.remote(kept).size(), "no second deployment after the stall");
    world.env.awaitGone(gone);
    assertEquals(List.of(), world.remote(gone), "the remote deployment of the deleted resource is gone");
  }

  @Test
  void aCreateWhoseAnswerStalledIsLookedUpAfterwardsNotSentAgain() {
    String name = "stall-create";
    // The remote makes the deployment, then its answer stalls mid-body.
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.StallMidBody());
    world.apply(agent(name, "registry.example.com/agent:1"));
    RecordedRequest post = await().atMost(Duration.ofSeconds(10)).until(() -> world.traffic(name, null).stream()
        .filter(r -> r.operation() == SimOperation.CREATE_DEPLOYMENT).findFirst().orElse(null), r -> r != null);
    // Then the whole remote stalls, past the create's in-flight window (request timeout + 1 s).
    world.sim.faults().stall(new Fault.Hang());
    world.env.awaitAgent(name, remainingOf(post), a -> condition(a, Conditions.SYNCED)
        .map(c -> "False".equals(c.getStatus())).orElse(false));
    Instant windowClosed = post.time().plus(REQUEST_TIMEOUT).plusSeconds(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(windowClosed));
    world.sim.faults().stall(null);

    AgentDeployment ready = world.env.awaitReady(name);
    assertEquals(1, world.remote(name).size(), "one remote deployment");
    assertEquals(1, world.count(name, null, SimOperation.CREATE_DEPLOYMENT), "the create was sent once");
    assertEquals(world.remote(name).get(0).path("id").asText(), ready.getStatus().getDeploymentId());
    assertEquals(1, world.env.eventCount(name, "Recovered"), "taken back as this resource's own create");
  }

  @Test
  void aPatchWhoseAnswerStalledIsNotSentAgain() {
    String name = "stall-patch";
    world.apply(agent(name, "registry.example.com/agent:1"));
    String id = world.env.awaitReady(name).getStatus().getDeploymentId();
    world.sim.faults().next(SimOperation.PATCH_DEPLOYMENT, 1, new Fault.StallMidBody());
    world.edit(name, a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
      return a;
    });
    world.env.awaitAgent(name, Duration.ofSeconds(30), a -> a.getMetadata().getGeneration() == 2
        && OperatorHarness.readyNow(a));
    assertEquals(1, world.count(name, id, SimOperation.PATCH_DEPLOYMENT), "the PATCH was sent once");
    assertEquals("registry.example.com/agent:2",
        world.remote(name).get(0).at("/source_revision_config/image_uri").asText());
    assertEquals(1, world.env.eventCount(name, "Recovered"), "the stalled PATCH's revision was taken as applied");
  }

  @Test
  void aRedeployWhoseAnswerStalledIsNotSentAgain() {
    String name = "stall-redeploy";
    world.apply(agent(name, "registry.example.com/agent:1"));
    String id = world.env.awaitReady(name).getStatus().getDeploymentId();
    image(name, "registry.example.com/agent:2");
    world.env.awaitAgent(name, Duration.ofSeconds(30), a -> a.getMetadata().getGeneration() == 2
        && OperatorHarness.readyNow(a));
    // A revert redeploys the revision that ran :1; the remote does it, then its answer stalls.
    world.sim.faults().next(SimOperation.REDEPLOY_REVISION, 1, new Fault.StallMidBody());
    image(name, "registry.example.com/agent:1");
    world.env.awaitAgent(name, Duration.ofSeconds(30), a -> a.getMetadata().getGeneration() == 3
        && OperatorHarness.readyNow(a));
    assertEquals(1, world.count(name, id, SimOperation.REDEPLOY_REVISION), "the redeploy was sent once");
    assertEquals(1, world.count(name, id, SimOperation.PATCH_DEPLOYMENT), "only the :2 change was a PATCH");
    assertEquals(1, world.env.eventCount(name, "Recovered"), "the stalled redeploy's revision was taken as applied");
  }

  private static void image(String name, String image) {
    world.edit(name, a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri(image);
      return a;
    });
  }

  /** The LangSmith ControlPlane's reachability check. */
  private static boolean controlPlaneCheck(RecordedRequest r) {
    return r.operation() == SimOperation.LIST_DEPLOYMENTS && "limit=1".equals(r.query());
  }

  /** The first request in {@code traffic} made at or after {@code from}, or null. */
  private static RecordedRequest first(List<RecordedRequest> traffic, Instant from) {
    return traffic.stream().filter(r -> !r.time().isBefore(from)).min(Comparator.comparing(RecordedRequest::time))
        .orElse(null);
  }

  /** What is left of the report bound counted from when {@code stalled} reached the remote. */
  private static Duration remainingOf(RecordedRequest stalled) {
    Duration left = REPORT_BOUND.minus(Duration.between(stalled.time(), Instant.now()));
    return left.isNegative() ? Duration.ofMillis(1) : left;
  }
}

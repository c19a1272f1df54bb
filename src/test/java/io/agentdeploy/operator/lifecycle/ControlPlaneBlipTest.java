package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A ControlPlane blip (its check fails three times in a row, within seconds) with 200 resources
 * behind it: the ControlPlane reports it on its Reachable condition and in one event, and none of
 * the 200 is written or reconciled for it. Before, each failed check turned Ready False with a new
 * message, which rewrote every resource's status and then re-read every remote deployment at once.
 */
class ControlPlaneBlipTest {
  private static final int RESOURCES = 200;
  private static final String KEY_SECRET = "langsmith-key";
  /** A long resync, so the resources' own periodic reads are a low, steady background. */
  private static final Duration RESYNC = Duration.ofSeconds(20);
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatedWorld.fastSimulator(), OperatorHarness.FAST.withTimings(RESYNC,
        Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofSeconds(20), Duration.ofSeconds(5),
        Duration.ofMillis(200), Duration.ofSeconds(2)).withRateLimit(500, 100));
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  void aBlipOfTheControlPlaneWritesNoResourceAndCausesNoBurstOfReads() throws Exception {
    Instant setup = Instant.now();
    for (int i = 0; i < RESOURCES; i++) {
      world.apply(Resources.dockerAgent("blip-" + i, SimulatedWorld.CONTROL_PLANE, "registry.example.com/blip:1"));
    }
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> world.env.client
        .resources(AgentDeployment.class).inNamespace(Resources.NS).list().getItems().stream()
        .filter(OperatorHarness::readyNow).count() == RESOURCES);
    System.out.printf("blip: %d resources Ready in %d ms%n", RESOURCES,
        Duration.between(setup, Instant.now()).toMillis());
    try (AgentDeploymentWrites writes = AgentDeploymentWrites.of(world.env.client, a -> true)) {
      // Steady state: what the resources read on their own (resync), before anything happens.
      Thread.sleep(1000);
      writes.reset();
      Instant steadyFrom = Instant.now();
      Thread.sleep(4000);
      long steadyReads = reads(steadyFrom, Instant.now());
      int steadyWrites = writes.count();

      // The blip: the next three checks answer 503, and the key Secret is touched (same key) so
      // the ControlPlane checks now rather than at its resync.
      writes.reset();
      Instant blipFrom = Instant.now();
      world.sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 3, new Fault.Status(503));
      world.env.client.secrets().inNamespace(Resources.NS).withName(KEY_SECRET).edit(s -> touched(s));
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> world.sim.faults().queued(SimOperation.LIST_DEPLOYMENTS) == 0);
      ControlPlane recovered = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> world.env.controlPlane(SimulatedWorld.CONTROL_PLANE), cp -> Conditions.isTrue(
              cp.getStatus().getConditions(), "Reachable"));
      Instant blipTo = Instant.now();
      int blipWrites = writes.count();

      // Right after it: the reads of a few seconds, against the steady rate.
      Thread.sleep(4000);
      long afterReads = reads(blipTo, Instant.now());
      long checks = world.sim.requests().matching(r -> r.operation() == SimOperation.LIST_DEPLOYMENTS
          && !r.time().isBefore(blipFrom) && !r.time().isAfter(blipTo)).size();
      System.out.printf("blip: %d ms, %d checks; resource status writes during it: %d (steady: %d per 4 s); "
              + "remote reads in the 4 s after it: %d (steady: %d per 4 s)%n",
          Duration.between(blipFrom, blipTo).toMillis(), checks, blipWrites, steadyWrites, afterReads, steadyReads);

      assertTrue(checks >= 3, "the ControlPlane saw the three failed checks (" + checks + ")");
      assertEquals(1, world.env.eventCount(SimulatedWorld.CONTROL_PLANE, "Unreachable"),
          "one Unreachable event for the episode");
      assertTrue(Conditions.isTrue(recovered.getStatus().getConditions(), Conditions.READY),
          "Ready never left True");
      assertEquals(0, blipWrites, "no AgentDeployment status was written because of the blip");
      // A fan-out reconciles every resource, each reading its remote deployment: at least RESOURCES reads.
      assertTrue(afterReads < steadyReads + RESOURCES / 2, "no burst of reads after the blip: " + afterReads
          + " reads against " + steadyReads + " steady");
    }
  }

  private static Secret touched(Secret s) {
    var data = s.getData() == null ? new HashMap<String, String>() : new HashMap<>(s.getData());
    data.put("touched", java.util.Base64.getEncoder().encodeToString(Instant.now().toString().getBytes()));
    s.setData(data);
    return s;
  }

  /** Remote reads by the resources (not the ControlPlane's checks) in [from, to). */
  private static long reads(Instant from, Instant to) {
    List<RecordedRequest> all = world.sim.requests().matching(r -> !r.time().isBefore(from) && r.time().isBefore(to)
        && !r.operation().isWrite() && !(r.operation() == SimOperation.LIST_DEPLOYMENTS && r.query() != null
        && r.query().startsWith("limit=1") && !r.query().contains("name")));
    return all.size();
  }
}

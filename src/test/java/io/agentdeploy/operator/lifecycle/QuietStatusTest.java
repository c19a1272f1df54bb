package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.DeletionPolicy;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * States that last: a rollout past its deadline, a remote deletion that takes long, a deployment
 * deleted by someone else. Each is reported once, rewrites no status on repeated passes, and is
 * looked at less and less often; per-resource memory goes when the resource goes, even without a
 * cleanup. Remote steps take a minute here, so every such state lasts through the test; the
 * operator's clock is moved ahead by minutes where old messages counted them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuietStatusTest {
  private static SimulatedWorld world;
  /** Moved ahead by minutes where the old text would have said how many minutes had passed. */
  private static final MovableClock clock = new MovableClock();

  @BeforeAll
  static void start() {
    OperatorConfig fast = OperatorHarness.FAST;
    // Resync 3 s: also the period of the sweep of per-resource state.
    world = new SimulatedWorld(SimulatorConfig.defaults()
        .withTimings(Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(60)),
        fast.withTimings(fast.resync(), fast.pollInitial(), fast.pollMax(), Duration.ofSeconds(1),
            Duration.ofSeconds(1), fast.retryInitial(), fast.retryMax()), EmbeddedKubernetes::newClient, clock);
  }

  @AfterAll
  static void stop() {
    world.releaseAll();
    world.close();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long reads(String name, String id) {
    return world.count(name, id, SimOperation.GET_DEPLOYMENT);
  }

  @Test
  @Order(2)
  void aRolloutPastItsDeadlineIsReportedOnceAndThenLeftAlone() {
    world.apply(Resources.dockerAgent("past-deadline", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
    AgentDeployment late = world.env.awaitAgent("past-deadline", Duration.ofSeconds(20),
        OperatorHarness.reason(Conditions.READY, "ProgressDeadlineExceeded"));
    String id = late.getStatus().getDeploymentId();
    String message = OperatorHarness.condition(late, Conditions.READY).get().getMessage();
    assertFalse(message.matches(".*\\d+ minutes? \\(deadline.*"), "no elapsed time in the condition: " + message);
    long readsBefore = reads("past-deadline", id);
    int writes = AgentDeploymentWrites.during(world.env.client, AgentDeploymentWrites.named("past-deadline"),
        () -> {
      sleep(Duration.ofMillis(2500));
      clock.advance(Duration.ofMinutes(3));
      sleep(Duration.ofMillis(2500));
    });
    long polls = reads("past-deadline", id) - readsBefore;
    System.out.printf("ProgressDeadlineExceeded: %d polls, %d status writes in 5 s (3 minutes passing)%n", polls,
        writes);
    assertTrue(polls >= 3, "the resource was looked at several times (" + polls + ")");
    assertEquals(0, writes, "no status write while nothing changes");
    assertEquals(1, world.env.eventCount("past-deadline", "ProgressDeadlineExceeded"));

    // A pass that only got throttled leaves Synced as it was (the spec is applied): still no write.
    assertTrue(Conditions.isTrue(late.getStatus().getConditions(), Conditions.SYNCED));
    world.sim.faults().next(SimOperation.GET_DEPLOYMENT, 3, new Fault.RateLimited(1));
    int throttledWrites = AgentDeploymentWrites.during(world.env.client,
        AgentDeploymentWrites.named("past-deadline"), () -> await().atMost(Duration.ofSeconds(15))
        .until(() -> world.sim.faults().queued(SimOperation.GET_DEPLOYMENT) == 0));
    assertEquals(0, throttledWrites, "rate-limited passes do not flip Synced");
  }

  @Test
  @Order(3)
  void aStuckRemoteDeletionWarnsOnceAndIsPolledLessAndLessOften() {
    world.apply(Resources.dockerAgent("slow-teardown", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
    String id = world.env.awaitAgent("slow-teardown", Duration.ofSeconds(20), a -> a.getStatus() != null
        && a.getStatus().getDeploymentId() != null).getStatus().getDeploymentId();
    world.delete("slow-teardown");
    await().atMost(Duration.ofSeconds(10)).until(() -> world.env.eventCount("slow-teardown", "DeleteStuck") >= 1);
    long readsBefore = reads("slow-teardown", id);
    clock.advance(Duration.ofMinutes(3));
    sleep(Duration.ofSeconds(9));
    long polls = reads("slow-teardown", id) - readsBefore;
    // Polling that grows with the deletion's age only up to pollMax (800 ms) would read about 11 times in 9 s.
    System.out.printf("deleting and waiting: %d reads in 9 s (poll interval 200 ms, resync 3 s)%n", polls);
    assertTrue(polls <= 8, "the waiting deletion backs off towards the resync (" + polls + " reads)");
    assertEquals(1, world.env.eventCount("slow-teardown", "DeleteStuck"), "one DeleteStuck over many polls");
    assertEquals(1, world.count("slow-teardown", id, SimOperation.DELETE_DEPLOYMENT), "one DELETE, then polling");

    // Someone removes the finalizer by hand: JOSDK calls no cleanup, the periodic sweep drops the phase.
    assertEquals(1.0, phaseGauge("Deleting"), 0.0);
    world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName("slow-teardown")
        .edit(a -> {
          a.getMetadata().setFinalizers(List.of());
          return a;
        });
    world.env.awaitGone("slow-teardown");
    await().atMost(Duration.ofSeconds(10)).until(() -> phaseGauge("Deleting") == 0.0);
  }

  @Test
  @Order(1)
  void aDeploymentDeletedElsewhereIsPolledLessAndLessOften() {
    world.apply(Resources.dockerAgent("deleted-elsewhere", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
    String id = world.env.awaitAgent("deleted-elsewhere", Duration.ofSeconds(20), a -> a.getStatus() != null
        && a.getStatus().getDeploymentId() != null).getStatus().getDeploymentId();
    world.sim.langsmith().deleteOutOfBand(id);
    world.env.awaitAgent("deleted-elsewhere", Duration.ofSeconds(10), OperatorHarness.reason(Conditions.READY,
        "RemoteDeleting"));
    long readsBefore = reads("deleted-elsewhere", id);
    int writes = AgentDeploymentWrites.during(world.env.client, AgentDeploymentWrites.named("deleted-elsewhere"),
        () -> sleep(Duration.ofSeconds(9)));
    long polls = reads("deleted-elsewhere", id) - readsBefore;
    // Fixed polling at the poll interval (200 ms) would read about 45 times in 9 s.
    System.out.printf("RemoteDeleting: %d reads, %d status writes in 9 s (poll interval 200 ms, resync 3 s)%n",
        polls, writes);
    assertTrue(polls <= 12, "RemoteDeleting backs off towards the resync (" + polls + " reads)");
    assertEquals(0, writes, "no status write while the remote deletion goes on");
    world.edit("deleted-elsewhere", a -> {
      a.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);
      return a;
    });
  }

  @Test
  @Order(6)
  void aDeploymentWithoutARevisionYetIsPolledLessAndLessOften() {
    world.apply(Resources.dockerAgent("no-revision", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
    String id = world.env.awaitAgent("no-revision", Duration.ofSeconds(20), a -> a.getStatus() != null
        && a.getStatus().getDeploymentId() != null).getStatus().getDeploymentId();
    // The control plane has not made the first revision (latest_revision_id stays null): nothing to follow.
    world.sim.langsmith().showLatestRevisionAs(id, null);
    try {
      world.env.awaitAgent("no-revision", Duration.ofSeconds(10), a -> OperatorHarness.condition(a, Conditions.READY)
          .map(c -> c.getMessage().contains("first revision")).orElse(false));
      java.time.Instant from = java.time.Instant.now();
      sleep(Duration.ofSeconds(9));
      List<java.time.Instant> reads = world.traffic("no-revision", id).stream()
          .filter(r -> r.operation() == SimOperation.GET_DEPLOYMENT && !r.time().isBefore(from))
          .map(io.agentdeploy.operator.simulator.RecordedRequest::time).toList();
      List<Long> gaps = new java.util.ArrayList<>();
      for (int i = 1; i < reads.size(); i++) {
        gaps.add(Duration.between(reads.get(i - 1), reads.get(i)).toMillis());
      }
      // Polling at the poll interval (200 ms) would read about 45 times in 9 s, at pollMax (800 ms) about 11.
      System.out.printf("no revision yet: %d reads in 9 s, gaps %s ms (poll interval 200 ms, resync 3 s)%n",
          reads.size(), gaps);
      assertTrue(reads.size() <= 8, "the wait backs off towards the resync (" + reads.size() + " reads)");
      assertTrue(gaps.stream().anyMatch(g -> g >= 2000), "the gaps grow towards the resync: " + gaps);
      assertTrue(reads.size() >= 2, "it is still looked at: " + reads.size());
    } finally {
      world.sim.langsmith().showRealLatestRevision(id);
    }
  }

  /** A 503 whose detail differs every time, as a trace id or an upstream's text would. */
  private static void failEachTimeDifferently(SimOperation operation, int times) {
    for (int i = 0; i < times; i++) {
      world.sim.faults().next(operation, 1, new Fault.Status(503, "upstream connect error (trace 7f3a-" + i + ")"));
    }
  }

  /**
   * While every {@code operation} on the resource fails with another detail: its Synced condition
   * says {@code reason} without the remote's words, and the passes after the first write nothing.
   */
  private static void failuresWithOtherDetailsWriteOnce(String name, String id, SimOperation operation,
      String reason, Runnable then) {
    failEachTimeDifferently(operation, 150);
    try {
      then.run();
      AgentDeployment failing = world.env.awaitAgent(name, Duration.ofSeconds(20),
          OperatorHarness.reason(Conditions.SYNCED, reason));
      String message = OperatorHarness.condition(failing, Conditions.SYNCED).orElseThrow().getMessage();
      assertFalse(message.contains("trace") || message.contains("503"), "no remote text, no status code: " + message);
      long before = world.count(name, id, operation);
      int writes = AgentDeploymentWrites.during(world.env.client, AgentDeploymentWrites.named(name),
          () -> sleep(Duration.ofSeconds(5)));
      long failed = world.count(name, id, operation) - before;
      System.out.printf("%s: %d failed calls with distinct details, %d status writes in 5 s%n", reason, failed, writes);
      assertTrue(world.sim.faults().queued(operation) > 0, "every call in the window failed");
      assertTrue(failed >= 4, "several passes failed, each with other details (" + failed + " calls)");
      assertEquals(0, writes, "the same trouble with other details writes nothing");
    } finally {
      world.sim.faults().clear(); // a failure here must not leave the next test's calls failing
    }
  }

  @Test
  @Order(4)
  void failedReadsWithOtherDetailsEachTimeWriteTheStatusOnce() {
    world.apply(Resources.dockerAgent("flaky-reads", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
    String id = world.env.awaitAgent("flaky-reads", Duration.ofSeconds(20), a -> a.getStatus() != null
        && a.getStatus().getDeploymentId() != null).getStatus().getDeploymentId();
    // A rollout in progress is read every poll: each read now meets a 503 with another detail.
    failuresWithOtherDetailsWriteOnce("flaky-reads", id, SimOperation.GET_DEPLOYMENT, "RemoteUnavailable",
        () -> { });
    world.env.awaitAgent("flaky-reads", Duration.ofSeconds(20), OperatorHarness.reason(Conditions.SYNCED, "Applied"));
  }

  @Test
  @Order(5)
  void failedDeletesWithOtherDetailsEachTimeWriteTheStatusOnce() {
    AgentDeployment agd = Resources.dockerAgent("flaky-delete", SimulatedWorld.CONTROL_PLANE,
        "registry.example.com/agent:1");
    agd.getSpec().getLangsmith().setDeleteTracingProject(true); // a DELETE of its own, not the bulk one
    world.apply(agd);
    String id = world.env.awaitAgent("flaky-delete", Duration.ofSeconds(20), a -> a.getStatus() != null
        && a.getStatus().getDeploymentId() != null).getStatus().getDeploymentId();
    failuresWithOtherDetailsWriteOnce("flaky-delete", id, SimOperation.DELETE_DEPLOYMENT, "DeleteFailed",
        () -> world.delete("flaky-delete"));
    assertEquals(1, world.env.eventCount("flaky-delete", "DeleteFailed"), "the details went to one event");
    world.env.awaitAgent("flaky-delete", Duration.ofSeconds(20), OperatorHarness.reason(Conditions.SYNCED, "Deleting"));
  }

  private static double phaseGauge(String phase) {
    String scrape = world.env.runtime().meters().scrape();
    Matcher m = Pattern.compile("^agentdeploy_resources\\{phase=\"" + phase + "\"} ([0-9.eE+-]+)$", Pattern.MULTILINE)
        .matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}

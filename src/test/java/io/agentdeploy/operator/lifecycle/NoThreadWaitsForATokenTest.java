package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "no thread waits for a token": many LangSmith resources rolling out (slow build steps,
 * so they keep polling) against a small budget. A new resource's first call and a deletion's first
 * call are not queued behind the polls (counted: few other requests go out in between), no
 * reconcile thread is ever found sleeping in the rate limiter, and a throttled pass writes nothing.
 */
@Paced
class NoThreadWaitsForATokenTest {
  private static final int RESOURCES = 150;
  private static final double BUDGET = 5;
  private static final int BURST = 5;
  /** Other requests allowed between a priority event and its first call: two seconds of the budget. */
  private static final int K = (int) (2 * BUDGET);
  private static final OperatorConfig CONFIG = OperatorHarness.FAST.withTimings(Duration.ofSeconds(3),
      Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofMinutes(5), Duration.ofSeconds(5),
      Duration.ofMillis(200), Duration.ofSeconds(2));
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    // Build steps of a minute: every deployment stays in its rollout, polled, for the whole test.
    world = new SimulatedWorld(SimulatedWorld.fastSimulator().withTimings(Duration.ofSeconds(60),
        Duration.ofMillis(50), Duration.ofMillis(300)), CONFIG);
    world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS)
        .withName(SimulatedWorld.AGENTEX_CONTROL_PLANE).delete();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  void priorityCallsGoAheadOfPollsAndNoReconcileThreadSleepsInTheLimiter() throws Exception {
    // Created under the harness's high limit, so the population is past its first create...
    for (int i = 0; i < RESOURCES; i++) {
      world.apply(Resources.dockerAgent("poll-" + i, SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1"));
    }
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> world.env.client
        .resources(AgentDeployment.class).inNamespace(Resources.NS).list().getItems().stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getDeploymentId() != null).count() == RESOURCES);
    // ...then the account's budget drops to 5 req/s: from here on the polls alone want far more.
    world.limitAccount(SimulatedWorld.CONTROL_PLANE, BUDGET, BURST);

    ThreadSampler sampler = new ThreadSampler();
    sampler.start();
    try (AgentDeploymentWrites throttledWrites = AgentDeploymentWrites.of(world.env.client,
        OperatorHarness.reason("Synced", "RateLimited"))) {
      Thread.sleep(4000); // the queue of polls builds up
      Instant saturatedFrom = Instant.now();

      // (a) a new resource: its first call to the remote (a lookup or the create).
      Instant created = Instant.now();
      world.apply(Resources.dockerAgent("newcomer", SimulatedWorld.CONTROL_PLANE, "registry.example.com/new:1"));
      RecordedRequest firstOfNew = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> first(created, r -> r.requestBody() != null && r.requestBody().contains("\"name\":\"newcomer\"")
              || r.query() != null && r.query().contains("name_contains=newcomer&")), r -> r != null);
      int beforeNew = othersBetween(created, firstOfNew);

      // (b) a deletion of a resource that is still rolling out: its delete call.
      String victimId = world.env.get("poll-7").getStatus().getDeploymentId();
      Instant deleted = Instant.now();
      world.delete("poll-7");
      RecordedRequest firstDelete = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> first(deleted, r -> "DELETE".equals(r.method()) && (r.path().contains(victimId)
              || r.query() != null && r.query().contains(victimId))), r -> r != null);
      int beforeDelete = othersBetween(deleted, firstDelete);

      Thread.sleep(3000); // more of the saturated run for the sampler
      Instant saturatedTo = Instant.now();
      sampler.stop();

      List<Instant> sent = langsmith(saturatedFrom, saturatedTo).stream().map(RecordedRequest::time).toList();
      double seconds = Duration.between(saturatedFrom, saturatedTo).toMillis() / 1000.0;
      System.out.printf("no thread waits: %d resources at %.0f req/s (burst %d): %d requests in %.1f s, busiest second %d%n",
          RESOURCES, BUDGET, BURST, sent.size(), seconds, RequestTimes.busiestSecond(sent));
      System.out.printf("no thread waits: new resource's first call after %d ms, %d other requests before it; "
          + "deletion's first call after %d ms, %d other requests before it (K = %d)%n",
          Duration.between(created, firstOfNew.time()).toMillis(), beforeNew,
          Duration.between(deleted, firstDelete.time()).toMillis(), beforeDelete, K);
      System.out.printf("no thread waits: %d thread samples, reconcile threads seen at work %d times, "
          + "sleeping in the limiter: max %d; other threads seen there: %s%n", sampler.samples.get(),
          sampler.reconciling.get(), sampler.reconcileInLimiterMax.get(),
          sampler.othersInLimiter);
      System.out.printf("no thread waits: status writes with Synced=RateLimited: %d%n", throttledWrites.count());
      double deferred = world.env.runtime().meters().find("agentdeploy.remote.requests.deferred")
          .tag("provider", "langsmith").counters().stream().mapToDouble(c -> c.count()).sum();
      System.out.printf("no thread waits: requests deferred by the client-side limit (metric): %.0f%n", deferred);

      assertTrue(sent.size() > seconds * BUDGET * 0.5, "the budget was in use (" + sent.size() + " requests)");
      assertTrue(beforeNew < K, "the new resource's first call went ahead of the polls: " + beforeNew
          + " other requests before it");
      assertTrue(beforeDelete < K, "the deletion's first call went ahead of the polls: " + beforeDelete
          + " other requests before it");
      assertTrue(sampler.samples.get() > 20, "the threads were sampled during the run");
      assertTrue(sampler.reconciling.get() > 0, "reconcile threads were seen at work");
      assertEquals(0, sampler.reconcileInLimiterMax.get(), "reconcile threads sleeping in the rate limiter");
      int busiest = RequestTimes.busiestSecond(sent);
      assertTrue(busiest <= BUDGET + BURST, "the budget holds: busiest second " + busiest);
      assertEquals(0, throttledWrites.count(), "a pass given back for a token writes no status");
      assertTrue(deferred > 0, "the deferrals are counted where an operator can see them");
      assertEquals(0, world.env.events("poll-7").stream().filter(e -> "DeleteFailed".equals(e.getReason())).count(),
          "a throttled deletion emits no event");
    }
  }

  /** The first LangSmith request at or after {@code from} that {@code which} selects, or null. */
  private static RecordedRequest first(Instant from, Predicate<RecordedRequest> which) {
    return langsmith(from, Instant.MAX).stream().filter(which).findFirst().orElse(null);
  }

  /** LangSmith requests (not the one awaited) the simulator recorded between {@code from} and {@code call}. */
  private static int othersBetween(Instant from, RecordedRequest call) {
    return (int) langsmith(from, call.time()).stream().filter(r -> r != call).count();
  }

  private static List<RecordedRequest> langsmith(Instant from, Instant to) {
    return world.sim.requests().matching(r -> Simulator.PROVIDER_LANGSMITH.equals(r.provider())
        && r.operation() != null && !r.time().isBefore(from) && r.time().isBefore(to));
  }

  /** Samples every thread's stack every 20 ms: who is inside the rate limiter, sleeping or parked. */
  private static final class ThreadSampler {
    final AtomicInteger samples = new AtomicInteger();
    final AtomicInteger reconcileInLimiterMax = new AtomicInteger();
    /** Reconcile threads seen at work over all samples: the sampler does see them. */
    final AtomicInteger reconciling = new AtomicInteger();
    final Map<String, Integer> othersInLimiter = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::run, "limiter-sampler");

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    private void run() {
      while (running.get()) {
        int reconcile = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
          if (reconciling(e.getValue())) {
            reconciling.incrementAndGet();
          }
          if (waitsInLimiter(e.getValue())) {
            if (reconciling(e.getValue())) {
              reconcile++;
            } else {
              othersInLimiter.merge(e.getKey().getName(), 1, Integer::sum);
            }
          }
        }
        reconcileInLimiterMax.accumulateAndGet(reconcile, Math::max);
        samples.incrementAndGet();
        try {
          Thread.sleep(20);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }

    /**
     * A thread reconciling an AgentDeployment (whatever the pool names it). ControlPlane checks, which
     * may still wait in place up to 2 s, are reported among the others.
     */
    private static boolean reconciling(StackTraceElement[] stack) {
      for (StackTraceElement frame : stack) {
        if (frame.getClassName().endsWith(".AgentDeploymentReconciler")) {
          return true;
        }
      }
      return false;
    }

    /** A stack that sleeps (or parks) with a rate-limiter frame under it. */
    private static boolean waitsInLimiter(StackTraceElement[] stack) {
      boolean waiting = false;
      for (StackTraceElement frame : stack) {
        if (frame.getClassName().equals("java.lang.Thread") && frame.getMethodName().startsWith("sleep")
            || frame.getClassName().equals("jdk.internal.misc.Unsafe") && frame.getMethodName().equals("park")) {
          waiting = true;
        }
        if (waiting && (frame.getClassName().endsWith(".RateLimiters") || frame.getClassName().endsWith(".TokenBucket"))) {
          return true;
        }
      }
      return false;
    }
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * Remote observation in batches (issue 12): {@value #N} Ready LangSmith resources on one account
 * with a short resync. In the steady state each resync costs ⌈N/100⌉ list calls and nothing else
 * (not even the ControlPlane's own check: the lists' answers prove its key);
 * a remote change reaches its one resource through the poller; a server that ignores
 * {@code deployment_ids} sends the account back to single reads, logged once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Paced
class BatchedObservationTest {
  private static final int N = 150;
  private static final Duration RESYNC = Duration.ofSeconds(4);
  private static final int RESYNCS = 3;
  private static SimulatedWorld world;
  private static final Map<String, String> ids = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatedWorld.fastSimulator(), OperatorHarness.FAST.withTimings(RESYNC,
        Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofSeconds(20), Duration.ofSeconds(5),
        Duration.ofMillis(200), Duration.ofSeconds(2)).withRateLimit(500, 100));
    IntStream.range(0, N).forEach(i -> world.apply(agent(name(i))));
    for (int i = 0; i < N; i++) {
      AgentDeployment ready = world.env.awaitAgent(name(i), Duration.ofSeconds(120), OperatorHarness::readyNow);
      ids.put(name(i), ready.getStatus().getDeploymentId());
    }
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static String name(int i) {
    return "batch-" + i;
  }

  private static AgentDeployment agent(String name) {
    return Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1");
  }

  @Test
  @Order(1)
  void steadyStateCostsOneListPerHundredResourcesPerResync() {
    // Two resyncs for every resource to have been listed and its settled revision remembered.
    sleep(RESYNC.multipliedBy(2));
    world.sim.requests().clear();
    int writes = AgentDeploymentWrites.during(world.env.client, a -> true, () -> sleep(RESYNC.multipliedBy(RESYNCS)));
    Map<SimOperation, Long> counts = world.sim.requests().counts();
    long lists = batchLists().size();
    long gets = counts.getOrDefault(SimOperation.GET_DEPLOYMENT, 0L);
    long revisions = counts.getOrDefault(SimOperation.GET_REVISION, 0L);
    long checks = world.sim.requests().matching(r -> r.operation() == SimOperation.LIST_DEPLOYMENTS
        && "limit=1".equals(r.query())).size();
    System.out.printf("steady window: %d resources, %d resyncs of %s: %d list calls (%.1f per resync), "
        + "%d ControlPlane checks, %d deployment GETs, %d revision GETs, %d AgentDeployment writes; all requests %s%n",
        N, RESYNCS, RESYNC, lists, lists / (double) RESYNCS, checks, gets, revisions, writes, counts);
    int perResync = (N + 99) / 100;
    // One round more than the window holds: a round may start right at either end.
    assertTrue(lists <= (long) perResync * (RESYNCS + 1), "list calls: " + lists);
    assertTrue(lists >= perResync, "the poller lists: " + lists);
    assertEquals(0, revisions, "no revision GET for settled rollouts");
    // The batch lists' answers prove the key: the ControlPlane's own check (one a resync without
    // them) asks at most once, when a round answered later than the check fell due.
    assertTrue(checks <= 1, "ControlPlane checks of their own: " + checks);
    // A reconcile that lands in the moment a round is being listed may read one object itself.
    assertTrue(gets <= N / 20, "single deployment GETs: " + gets);
    assertEquals(0, writes, "no AgentDeployment writes in the steady state");
    assertTrue(batchLists().stream().allMatch(r -> r.query().contains("limit=100")
        && idsAsked(r) <= 100), "≤ 100 ids a call, limit=100");
    java.util.Set<String> asked = new java.util.HashSet<>();
    batchLists().forEach(r -> asked.addAll(List.of(param(r, "deployment_ids").split(","))));
    assertTrue(asked.containsAll(ids.values()), "every resource's deployment is listed");
  }

  @Test
  @Order(2)
  void aRoundSlowerThanTheOneBeforeSendsNoResourceToSingleReads() {
    // From now on each list takes 1.2 s: the next round answers each id one or two seconds later in
    // its interval than the round before, and a resource whose resync falls in that gap finds the
    // last answer just over one interval old while the new one is on its way.
    world.sim.faults().always(SimOperation.LIST_DEPLOYMENTS, new Fault.Delay(1200));
    try {
      world.sim.requests().clear();
      sleep(RESYNC.multipliedBy(2));
      Map<SimOperation, Long> counts = world.sim.requests().counts();
      long gets = counts.getOrDefault(SimOperation.GET_DEPLOYMENT, 0L);
      long revisions = counts.getOrDefault(SimOperation.GET_REVISION, 0L);
      System.out.printf("slow rounds: %d list calls, %d deployment GETs, %d revision GETs in %s%n",
          batchLists().size(), gets, revisions, RESYNC.multipliedBy(2));
      assertTrue(batchLists().size() >= 2, "the poller listed: " + batchLists().size());
      assertEquals(0, gets, "no resource read its deployment itself while its answer was on the way");
      assertEquals(0, revisions, "nor its revision");
    } finally {
      world.sim.faults().always(SimOperation.LIST_DEPLOYMENTS, null);
    }
  }

  @Test
  @Order(3)
  void outOfBandDeletionReachesOnlyItsResourceThroughThePoller() {
    String victim = name(7);
    String id = ids.get(victim);
    world.sim.requests().clear();
    world.sim.langsmith().deleteOutOfBand(id);
    AgentDeployment recreated = world.env.awaitAgent(victim, RESYNC.multipliedBy(5),
        a -> a.getStatus().getDeploymentId() != null && !id.equals(a.getStatus().getDeploymentId())
            && OperatorHarness.readyNow(a));
    assertNotEquals(id, recreated.getStatus().getDeploymentId());
    List<RecordedRequest> singles = world.sim.requests().matching(r -> r.operation() == SimOperation.GET_DEPLOYMENT);
    long others = singles.stream().filter(r -> !r.path().contains(id)
        && !r.path().contains(recreated.getStatus().getDeploymentId())).count();
    System.out.printf("out-of-band deletion: %d deployment GETs for the deleted one, %d for the %d others%n",
        singles.size() - others, others, N - 1);
    assertTrue(singles.stream().anyMatch(r -> r.path().endsWith(id)), "the one not seen was read by itself");
    // It was the list that noticed: the first single read of it follows a list that asked for it.
    java.time.Instant firstGet = singles.stream().filter(r -> r.path().endsWith(id)).map(RecordedRequest::time)
        .min(java.util.Comparator.naturalOrder()).orElseThrow();
    assertTrue(batchLists().stream().anyMatch(r -> r.query().contains(id) && !r.time().isAfter(firstGet)),
        "a list without it came first");
    assertTrue(others <= N / 20, "the others stayed on the batch: " + others);
    ids.put(victim, recreated.getStatus().getDeploymentId());
  }

  @Test
  @Order(4)
  void outOfBandEditIsCorrectedAfterThePollerSeesTheNewRevision() {
    String edited = name(11);
    String id = ids.get(edited);
    world.sim.langsmith().editOutOfBand(id, sc -> { }, rc -> rc.put("image_uri", "registry.example.com/agent:hotfix"),
        true);
    await().atMost(RESYNC.multipliedBy(5)).until(() -> world.env.eventCount(edited, "DriftCorrected") == 1);
    world.env.awaitReady(edited);
    assertEquals("registry.example.com/agent:1",
        world.remote(edited).get(0).at("/source_revision_config/image_uri").asText());
  }

  @Test
  @Order(5)
  void aRevertRightAfterAListIsFollowedByAReadNotByTheOldList() {
    String name = name(23);
    String id = ids.get(name);
    // Start right after a list that asked for it: that answer (image :1, revision 1 live) stays
    // younger than the resync through the edit to :2 and the revert, and matches the reverted spec.
    world.sim.requests().clear();
    await().atMost(RESYNC.multipliedBy(3)).pollInterval(Duration.ofMillis(10))
        .until(() -> batchLists().stream().anyMatch(r -> r.query().contains(id)));
    long second = editImage(name, "registry.example.com/agent:2");
    world.env.awaitAgent(name, Duration.ofSeconds(20), a -> a.getMetadata().getGeneration() == second
        && OperatorHarness.readyNow(a));
    long reverted = editImage(name, "registry.example.com/agent:1");
    AgentDeployment ready = world.env.awaitAgent(name, Duration.ofSeconds(20),
        a -> a.getMetadata().getGeneration() == reverted && OperatorHarness.readyNow(a));
    String remoteLatest = world.remote(name).get(0).path("latest_revision_id").asText();
    System.out.printf("revert after a list: Ready on revision %s, the remote's latest is %s%n",
        ready.getStatus().getLatestRevisionId(), remoteLatest);
    assertEquals(remoteLatest, ready.getStatus().getLatestRevisionId(), "Ready names the revision rolled out last");
    assertEquals(remoteLatest, ready.getStatus().getActiveRevisionId(), "and it serves");
  }

  private static long editImage(String name, String image) {
    long[] generation = new long[1];
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      generation[0] = world.edit(name, a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri(image);
        return a;
      }).getMetadata().getGeneration();
      return true;
    });
    return generation[0];
  }

  @Test
  @Order(6)
  void aServerIgnoringTheIdFilterSendsTheAccountBackToSingleReadsLoggedOnce() {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    // The poller's own logger, at a level of its own: a test of the same JVM that ran the demo
    // (LogSetup.quiet) leaves io.agentdeploy at ERROR, and a JSON log setup replaces the root's appenders.
    Logger root = (Logger) LoggerFactory.getLogger("io.agentdeploy.operator.controller.BatchedObservations");
    ch.qos.logback.classic.Level levelBefore = root.getLevel();
    root.setLevel(ch.qos.logback.classic.Level.INFO);
    root.addAppender(log);
    try {
      world.sim.langsmith().ignoreDeploymentIds(true);
      world.sim.requests().clear();
      sleep(RESYNC.multipliedBy(3));
      long lists = batchLists().size();
      long gets = world.sim.requests().count(SimOperation.GET_DEPLOYMENT);
      List<String> warnings = new ArrayList<>(log.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.contains("ignores deployment_ids")).toList());
      System.out.printf("filter ignored: %d list calls, %d deployment GETs in 3 resyncs; warnings %d%n", lists, gets,
          warnings.size());
      assertEquals(1, warnings.size(), "logged once: " + warnings);
      assertTrue(lists <= 1, "the account is no longer listed after the first answer: " + lists);
      assertTrue(gets >= N, "every resource reads its deployment itself: " + gets);
    } finally {
      root.detachAppender(log);
      root.setLevel(levelBefore);
      world.sim.langsmith().ignoreDeploymentIds(false);
    }
  }

  private static List<RecordedRequest> batchLists() {
    return world.sim.requests().matching(r -> r.operation() == SimOperation.LIST_DEPLOYMENTS && r.query() != null
        && r.query().contains("deployment_ids="));
  }

  private static int idsAsked(RecordedRequest r) {
    return param(r, "deployment_ids").split(",").length;
  }

  private static String param(RecordedRequest r, String name) {
    for (String pair : r.query().split("&")) {
      if (pair.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

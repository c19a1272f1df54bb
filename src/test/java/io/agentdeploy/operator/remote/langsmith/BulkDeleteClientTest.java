package io.agentdeploy.operator.remote.langsmith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.LangSmithRevisionConfig;
import io.agentdeploy.operator.api.LangSmithSource;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.remote.DeleteOutcome;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.http.BaseUrlPolicy;
import io.agentdeploy.operator.remote.http.Endpoint;
import io.agentdeploy.operator.remote.http.HttpTransport;
import io.agentdeploy.operator.remote.http.TokenBucket;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.OpenApiContract;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's batched deletes against the simulator over HTTP: the 100-id cap, the wire form the
 * spec describes (checked by the contract), and how each kind of non-200 answer is taken.
 */
class BulkDeleteClientTest {
  private static final String KEY = "lsv2_bulk_test_key";
  private static final String TENANT = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
  private Simulator sim;
  private HttpTransport transport;
  private Endpoint endpoint;
  private ExecutorService threads;

  @BeforeEach
  void start() {
    sim = Simulator.start(SimulatorConfig.defaults().withApiKey(KEY)
        .withTimings(Duration.ofMillis(50), Duration.ZERO, Duration.ofMillis(100)));
    transport = new HttpTransport(new SimpleMeterRegistry(), Duration.ofSeconds(1), Duration.ofSeconds(5), 0);
    endpoint = new Endpoint("langsmith", BaseUrlPolicy.anyHttpsHost().check(sim.baseUrl()).orElseThrow(),
        Map.of("X-Api-Key", KEY, "X-Tenant-Id", TENANT), new TokenBucket(10_000, 1_000, System::nanoTime));
    threads = Executors.newFixedThreadPool(160);
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
    try {
      sim.faults().clear();
      OpenApiContract.assertConforms(sim.requests().all());
    } finally {
      sim.close();
    }
  }

  private LangSmithClient client(BulkDeletes bulk) {
    return new LangSmithClient(transport, endpoint, bulk);
  }

  private List<String> deployments(LangSmithClient client, String prefix, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LangSmithSpec spec = new LangSmithSpec();
      spec.setName(prefix + "-" + i);
      spec.setSource(LangSmithSource.EXTERNAL_DOCKER);
      LangSmithRevisionConfig rc = new LangSmithRevisionConfig();
      rc.setImageUri("img:1");
      spec.setRevisionConfig(rc);
      ids.add(client.create(LangSmithMapper.toDesired(spec, Map.of(), java.util.Set.of(),
          io.agentdeploy.operator.remote.TestHashers.ZERO), null).deploymentId());
    }
    return ids;
  }

  /** {@link #deleteAtOnce}, all accepted; how far apart the first and the last call were, in ms. */
  private long spreadOfCalls(LangSmithClient client, List<String> ids) throws Exception {
    assertEquals(ids.size(), deleteAtOnce(client, ids).stream().filter(o -> o == DeleteOutcome.ACCEPTED).count());
    return (lastCalls.stream().mapToLong(Long::longValue).max().orElse(0)
        - lastCalls.stream().mapToLong(Long::longValue).min().orElse(0)) / 1_000_000;
  }

  /** When each delete of the last {@link #deleteAtOnce} was called (System.nanoTime). */
  private final List<Long> lastCalls = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Every id's delete from its own thread, all released at once (as many reconcile threads would). */
  private List<DeleteOutcome> deleteAtOnce(LangSmithClient client, List<String> ids) throws Exception {
    CountDownLatch waiting = new CountDownLatch(ids.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<DeleteOutcome>> futures = new ArrayList<>();
    lastCalls.clear();
    for (String id : ids) {
      futures.add(threads.submit(() -> {
        waiting.countDown();
        go.await();
        lastCalls.add(System.nanoTime());
        return client.delete(id, false);
      }));
    }
    // Released only once every thread has started (starting 150 threads on a busy machine can
    // take longer than a batch window); then they arrive within milliseconds of each other.
    assertTrue(waiting.await(30, java.util.concurrent.TimeUnit.SECONDS), "the delete threads did not start");
    go.countDown();
    List<DeleteOutcome> out = new ArrayList<>();
    for (Future<DeleteOutcome> f : futures) {
      out.add(f.get());
    }
    return out;
  }

  private List<RecordedRequest> bulkCalls() {
    return sim.requests().matching(r -> r.operation() == SimOperation.DELETE_DEPLOYMENTS);
  }

  private long perItemCalls() {
    return sim.requests().count(SimOperation.DELETE_DEPLOYMENT);
  }

  private static int idCount(RecordedRequest r) {
    return r.query().split("deployment_ids=", -1).length - 1;
  }

  @Test
  void moreThan100DeletesInOneWindowGoOutAs100AndTheRest() throws Exception {
    LangSmithClient client = client(new BulkDeletes(Duration.ofMillis(200)));
    // 150 threads released at once do not always all call within one 200 ms window on a busy
    // machine ([72, 78] was seen): such a round shows nothing about the cap and is run again.
    List<String> ids = List.of();
    List<Integer> sizes = List.of();
    for (int round = 0; round < 5; round++) {
      ids = deployments(client, "many" + round, 150);
      sim.requests().clear();
      long spreadMillis = spreadOfCalls(client, ids);
      sizes = bulkCalls().stream().map(BulkDeleteClientTest::idCount).sorted().toList();
      System.out.println("150 deletes released at once, called within " + spreadMillis + " ms: " + sizes);
      if (spreadMillis < 100) {
        break;
      }
    }
    System.out.println("150 deletes released at once, bulk call sizes: " + sizes + ", per item: " + perItemCalls());
    assertTrue(sizes.stream().allMatch(s -> s <= 100), sizes.toString());
    assertEquals(100, sizes.get(sizes.size() - 1), "a full batch goes out at 100 ids: " + sizes);
    assertEquals(150, sizes.stream().mapToInt(Integer::intValue).sum());
    assertEquals(0, perItemCalls());
    assertTrue(ids.stream().allMatch(id -> client.observe(id, null).deleting() || !client.observe(id, null).exists()));
  }

  @Test
  void aLoneDeleteGoesAloneAndTracingProjectsNeverJoinABatch() throws Exception {
    LangSmithClient client = client(new BulkDeletes(Duration.ofMillis(50)));
    List<String> ids = deployments(client, "alone", 4);
    sim.requests().clear();
    assertEquals(DeleteOutcome.ACCEPTED, client.delete(ids.get(0), false));
    assertEquals(List.of(DeleteOutcome.ACCEPTED, DeleteOutcome.ACCEPTED, DeleteOutcome.ACCEPTED),
        deleteAtOnce(client, ids.subList(1, 4)).stream().toList());
    assertEquals(1, bulkCalls().size(), "the three together: one bulk call");
    sim.requests().clear();
    List<String> more = deployments(client, "tracing", 3);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<DeleteOutcome>> futures = new ArrayList<>();
    for (String id : more) {
      futures.add(threads.submit(() -> {
        go.await();
        return client.delete(id, true);
      }));
    }
    go.countDown();
    for (Future<DeleteOutcome> f : futures) {
      assertEquals(DeleteOutcome.ACCEPTED, f.get());
    }
    assertEquals(0, bulkCalls().size());
    assertEquals(3, perItemCalls());
  }

  @Test
  void aRouteNotFoundTurnsBulkOffButABatchNotFoundDoesNot() throws Exception {
    LangSmithClient client = client(new BulkDeletes(Duration.ofMillis(100)));
    // The API's own 404 for the batch (none of the ids exists): each id is asked alone, bulk stays on.
    List<String> unknown = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
    assertEquals(List.of(DeleteOutcome.REFUSED, DeleteOutcome.REFUSED), deleteAtOnce(client, unknown));
    assertEquals(1, bulkCalls().size());
    assertEquals(2, perItemCalls());
    List<String> ids = deployments(client, "route", 4);
    sim.requests().clear();
    assertTrue(deleteAtOnce(client, ids.subList(0, 2)).stream().allMatch(o -> o == DeleteOutcome.ACCEPTED));
    assertEquals(1, bulkCalls().size(), "bulk still used after a batch 404");
    assertEquals(0, perItemCalls());

    // FastAPI's bare "Not Found" for an unknown route: no bulk delete on this account from now on.
    sim.requests().clear();
    sim.faults().always(SimOperation.DELETE_DEPLOYMENTS, new Fault.BareNotFound());
    assertTrue(deleteAtOnce(client, ids.subList(2, 4)).stream().allMatch(o -> o == DeleteOutcome.ACCEPTED));
    assertEquals(1, bulkCalls().size());
    assertEquals(2, perItemCalls());
    sim.faults().clear();
    sim.requests().clear();
    List<String> later = deployments(client, "later", 3);
    assertTrue(deleteAtOnce(client, later).stream().allMatch(o -> o == DeleteOutcome.ACCEPTED));
    assertEquals(0, bulkCalls().size(), "no further bulk call on this account");
    assertEquals(3, perItemCalls());
  }

  /** Starts a simulator whose deletes are done at once (no teardown time), and aims the endpoint at it. */
  private void instantDeletes() {
    deletesTaking(Duration.ZERO);
  }

  /** A simulator whose teardown after a DELETE takes {@code teardown}. */
  private void deletesTaking(Duration teardown) {
    sim.close();
    sim = Simulator.start(SimulatorConfig.defaults().withApiKey(KEY)
        .withTimings(Duration.ofMillis(50), Duration.ZERO, teardown));
    endpoint = new Endpoint("langsmith", BaseUrlPolicy.anyHttpsHost().check(sim.baseUrl()).orElseThrow(),
        Map.of("X-Api-Key", KEY, "X-Tenant-Id", TENANT), new TokenBucket(10_000, 1_000, System::nanoTime));
  }

  private long idLists() {
    return sim.requests().matching(r -> r.operation() == SimOperation.LIST_DEPLOYMENTS
        && r.query().contains("deployment_ids=")).size();
  }

  @Test
  void oneListOfTheBatchRightAfterItsDeleteConfirmsEveryIdItNoLongerHolds() throws Exception {
    instantDeletes();
    LangSmithClient client = client(new BulkDeletes(Duration.ofMillis(100)));
    List<String> ids = deployments(client, "instant", 20);
    sim.requests().clear();
    assertTrue(deleteAtOnce(client, ids).stream().allMatch(o -> o == DeleteOutcome.ACCEPTED));
    // A proxy's 404 page is still no proof, whatever the list said.
    sim.faults().next(SimOperation.GET_DEPLOYMENT, 1, new Fault.HtmlNotFound());
    assertThrows(RemoteException.class, () -> client.observe(ids.get(0), null));
    for (String id : ids) {
      Observation gone = client.observe(id, null);
      assertEquals(Observation.Absence.CONFIRMED, gone.absence(), id);
    }
    System.out.println("20 ids deleted in bulk and confirmed gone: " + bulkCalls().size() + " bulk call(s), "
        + idLists() + " id list(s), " + sim.requests().count(SimOperation.GET_DEPLOYMENT) + " GETs");
    assertEquals(bulkCalls().size(), idLists(), "one list per bulk call, none per id");
    assertEquals(ids.size() + 1, sim.requests().count(SimOperation.GET_DEPLOYMENT), "each id still reads 404 itself");
  }

  @Test
  void idsStillListedAfterTheirBulkDeleteAreConfirmedOneByOneLater() throws Exception {
    // A teardown of 1 s: the list right after the delete surely holds them (100 ms was outrun on a
    // busy machine, where the list came after the teardown and rightly confirmed them gone).
    deletesTaking(Duration.ofSeconds(1));
    LangSmithClient client = client(new BulkDeletes(Duration.ofMillis(100)));
    List<String> ids = deployments(client, "slow", 5);
    sim.requests().clear();
    assertTrue(deleteAtOnce(client, ids).stream().allMatch(o -> o == DeleteOutcome.ACCEPTED));
    Thread.sleep(1_500);
    for (String id : ids) {
      assertEquals(Observation.Absence.CONFIRMED, client.observe(id, null).absence(), id);
    }
    assertEquals(bulkCalls().size() + ids.size(), idLists(), "the list after the delete proved nothing: one each");
  }

  @Test
  void aWindowOutsideItsBoundsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BulkDeletes(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new BulkDeletes(Duration.ofMillis(-5)));
    assertThrows(IllegalArgumentException.class, () -> new BulkDeletes(Duration.ofMillis(201)));
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Many LangSmith resources of one account deleted at once: their remote deletes go out as bulk
 * {@code DELETE /v2/deployments} calls of at most 100 ids, and every fallback the issue names
 * (a 207, a missing route, a tracing project to delete) still deletes everything, one by one.
 * Counts are printed; nothing is timed. The route test runs last: it turns bulk delete off for the
 * operator process, as it does in production.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BulkDeleteTest {
  private static final Pattern ID_KEY = Pattern.compile("(^|&)deployment_ids=");
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
  void contract() {
    world.sim.faults().clear();
    world.assertContract();
  }

  @Test
  @Order(1)
  void manyDeletesOfOneAccountGoOutAsBulkCallsOfAtMost100Ids() {
    Counts counts = createThenDeleteAll("bulk", 120, false);
    assertTrue(counts.bulkCalls() >= 2, "120 ids need at least two bulk calls: " + counts);
    assertTrue(counts.maxIdsPerBulk() <= 100, "a bulk call carries at most 100 ids: " + counts);
    assertTrue(counts.idsInAcceptedBulks() >= 60, "most deletes went in bulk: " + counts);
    assertTrue(counts.perItemDeletes() <= 120 - counts.idsInAcceptedBulks(),
        "only ids no bulk call accepted are deleted alone: " + counts);
  }

  @Test
  @Order(2)
  void aPartialSuccessFallsBackToOneDeleteEach() {
    // 207 with nothing deleted: which ids failed is unknown, so every id goes alone.
    world.sim.faults().always(SimOperation.DELETE_DEPLOYMENTS, new Fault.Status(207));
    Counts counts = createThenDeleteAll("partial", 12, false);
    assertTrue(counts.bulkCalls() >= 1, "the bulk call was tried: " + counts);
    assertEquals(0, counts.idsInAcceptedBulks(), counts.toString());
    assertTrue(counts.perItemDeletes() >= 12, "each id deleted alone after the 207: " + counts);
  }

  @Test
  @Order(3)
  void deletingTheTracingProjectGoesOneByOne() {
    Counts counts = createThenDeleteAll("tracing", 12, true);
    assertEquals(0, counts.bulkCalls(), "the bulk endpoint cannot delete tracing projects: " + counts);
    assertTrue(counts.perItemDeletes() >= 12, counts.toString());
    assertTrue(world.sim.requests().matching(r -> r.operation() == SimOperation.DELETE_DEPLOYMENT).stream()
        .allMatch(r -> r.query() != null && r.query().contains("delete_tracing_project=true")));
  }

  @Test
  @Order(4)
  void aMissingRouteTurnsBulkDeleteOffForTheProcess() {
    world.sim.faults().always(SimOperation.DELETE_DEPLOYMENTS, new Fault.Status(405));
    Counts first = createThenDeleteAll("noroute", 12, false);
    assertTrue(first.bulkCalls() >= 1, "the bulk route was tried: " + first);
    assertTrue(first.perItemDeletes() >= 12, "each id deleted alone: " + first);

    // The control plane would accept it now, but this process learnt it has no such route.
    world.sim.faults().clear();
    Counts second = createThenDeleteAll("after405", 12, false);
    assertEquals(0, second.bulkCalls(), "no further bulk call after a 405: " + second);
    assertTrue(second.perItemDeletes() >= 12, second.toString());
  }

  /** Creates {@code n} resources, waits for Ready, deletes them all at once and counts the deletes sent. */
  private static Counts createThenDeleteAll(String prefix, int n, boolean deleteTracingProject) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AgentDeployment agd = Resources.dockerAgent(prefix + "-" + i, SimulatedWorld.CONTROL_PLANE,
          "registry.example.com/" + prefix + ":1");
      agd.getSpec().getLangsmith().setDeleteTracingProject(deleteTracingProject);
      world.apply(agd);
      names.add(agd.getMetadata().getName());
    }
    names.forEach(world.env::awaitReady);
    world.sim.requests().clear();
    // One collection delete: every deletion is due at the same moment, as when a namespace goes.
    world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS)
        .delete();
    names.forEach(world.env::awaitGone);
    for (String name : names) {
      assertEquals(List.of(), world.remote(name), name + " is gone remotely before its finalizer went");
    }
    // Each deletion is reported once: a pass queued while the finalizer went finds it released.
    // One Event list per look (not one per name): 120 lists of a crowded namespace took longer than the window.
    world.env.flushEvents();
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(20)).until(() -> {
      Map<String, Long> deleted = world.env.client.v1().events().inNamespace(Resources.NS).list().getItems().stream()
          .filter(e -> "Deleted".equals(e.getReason()))
          .collect(Collectors.groupingBy(e -> e.getInvolvedObject().getName(), Collectors.counting()));
      return names.stream().filter(name -> deleted.getOrDefault(name, 0L) != 1).toList();
    }, List::isEmpty);
    Counts counts = Counts.of(world.sim.requests().all());
    System.out.println("bulk delete, " + prefix + " (" + n + " resources): " + counts);
    return counts;
  }

  /** The deletes the simulator saw. */
  private record Counts(long bulkCalls, int maxIdsPerBulk, long idsInAcceptedBulks, long perItemDeletes,
      long idLists) {
    static Counts of(List<RecordedRequest> requests) {
      List<RecordedRequest> bulk = requests.stream().filter(r -> r.operation() == SimOperation.DELETE_DEPLOYMENTS)
          .toList();
      int max = bulk.stream().mapToInt(r -> ids(r.query())).max().orElse(0);
      long accepted = bulk.stream().filter(r -> r.status() == 200).mapToLong(r -> ids(r.query())).sum();
      long perItem = requests.stream().filter(r -> r.operation() == SimOperation.DELETE_DEPLOYMENT).count();
      long idLists = requests.stream().filter(r -> r.operation() == SimOperation.LIST_DEPLOYMENTS
          && r.query() != null && r.query().contains("deployment_ids=")).count();
      return new Counts(bulk.size(), max, accepted, perItem, idLists);
    }

    private static int ids(String query) {
      int count = 0;
      Matcher m = ID_KEY.matcher(query == null ? "" : query);
      while (m.find()) {
        count++;
      }
      return count;
    }
  }
}

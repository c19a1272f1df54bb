package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.rbac.ApiRequestRecorder;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.controller.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12, "fewer writes per resource": on an instant remote a resource reaches Ready with 2
 * writes to the AgentDeployment (the finalizer with the first create's write-ahead record in one
 * request, then one status: what a null operator needs, finalizer and status) and one
 * Event (the create's, which says the rollout is live: the issue allows 2), and its deletion costs at
 * most 1 status write and 1 Event; on LangSmith the create's answer stands in for the read after
 * it, and a Ready deployment is deleted without a read first. Writes are what a
 * watch sees (MODIFIED), classified by what changed, so the API server's own deletionTimestamp
 * update is told apart from the operator's writes.
 */
class WritesPerResourceTest {
  private static final int N = 8;
  private static SimulatedWorld world;

  enum Provider {
    LANGSMITH(i -> Resources.dockerAgent("w-ls-" + i, SimulatedWorld.CONTROL_PLANE, "registry.example.com/w:" + i)),
    AGENTEX(i -> Resources.agentexAgent("w-ax-" + i, SimulatedWorld.AGENTEX_CONTROL_PLANE, "v" + i));

    final Function<Integer, AgentDeployment> resource;

    Provider(Function<Integer, AgentDeployment> resource) {
      this.resource = resource;
    }
  }

  /** Every request the operator's own Kubernetes client sends. */
  private static final ApiRequestRecorder API = new ApiRequestRecorder();

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatedWorld.instantSimulator(), OperatorHarness.FAST,
        kube -> API.clientLike(kube.newClient()));
    for (String controlPlane : List.of(SimulatedWorld.CONTROL_PLANE, SimulatedWorld.AGENTEX_CONTROL_PLANE)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> world.env.controlPlane(controlPlane), c -> c.getStatus() != null
          && Conditions.isTrue(c.getStatus().getConditions(), Conditions.READY));
    }
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  /** Per resource: the writes a watch saw, by kind, up to its first Ready and during its deletion. */
  private static final class Recorder implements AutoCloseable {
    final Map<String, AgentDeployment> last = new ConcurrentHashMap<>();
    final Map<String, int[]> toReady = new ConcurrentHashMap<>();
    final Map<String, int[]> deleting = new ConcurrentHashMap<>();
    final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    final Map<String, Long> readyAt = new ConcurrentHashMap<>();
    final Watch watch;

    Recorder() {
      watch = world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, AgentDeployment a) {
          String name = a.getMetadata().getName();
          AgentDeployment before = last.put(name, a);
          if (action != Action.MODIFIED || before == null) {
            return;
          }
          boolean statusWrite = !statusOf(before).equals(statusOf(a))
              && Objects.equals(before.getMetadata().getFinalizers(), a.getMetadata().getFinalizers());
          boolean deletionMarked = before.getMetadata().getDeletionTimestamp() == null
              && a.getMetadata().getDeletionTimestamp() != null;
          int[] counts = a.getMetadata().getDeletionTimestamp() != null ? deleting.computeIfAbsent(name, k -> new int[2])
              : ready.containsKey(name) ? null : toReady.computeIfAbsent(name, k -> new int[2]);
          if (counts != null && !deletionMarked) {
            counts[0]++; // any write of the operator
            counts[1] += statusWrite ? 1 : 0;
          }
          if (a.getMetadata().getDeletionTimestamp() == null && OperatorHarness.readyNow(a)
              && ready.putIfAbsent(name, true) == null) {
            readyAt.put(name, System.nanoTime());
          }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
      });
    }

    private static String statusOf(AgentDeployment a) {
      return a.getStatus() == null ? "{}" : Serialization.asJson(a.getStatus());
    }

    @Override
    public void close() {
      watch.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void readyInTwoWritesAndOneEventAndDeletedInOneStatusWriteAndOneEvent(Provider provider) {
    List<String> names = IntStream.range(0, N).mapToObj(i -> provider.resource.apply(i).getMetadata().getName())
        .toList();
    try (Recorder recorder = new Recorder()) {
      Map<String, Integer> eventsToReady = new ConcurrentHashMap<>();
      long[] toReadyMillis = new long[N];
      world.sim.requests().clear();
      for (int i = 0; i < N; i++) {
        long created = System.nanoTime();
        world.apply(provider.resource.apply(i));
        world.env.awaitReady(names.get(i));
        String name = names.get(i);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.readyAt.containsKey(name));
        toReadyMillis[i] = (recorder.readyAt.get(name) - created) / 1_000_000;
      }
      System.out.printf("%s create to Ready, one at a time: %s ms%n", provider, java.util.Arrays.toString(toReadyMillis));
      Map<SimOperation, Long> callsToReady = world.sim.requests().counts();
      for (String name : names) {
        eventsToReady.put(name, world.env.events(name).size());
      }
      world.sim.requests().clear();
      for (String name : names) {
        world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName(name).delete();
        world.env.awaitGone(name);
      }
      Map<SimOperation, Long> callsToDelete = world.sim.requests().counts();
      System.out.printf("%s remote calls for %d resources: to Ready %s; deletion %s%n", provider, N, callsToReady,
          callsToDelete);
      if (provider == Provider.LANGSMITH) {
        // The create's answer is the deployment right after it: no GET repeats it.
        assertEquals(0, callsToReady.getOrDefault(SimOperation.GET_DEPLOYMENT, 0L), "no deployment GET to Ready");
        assertEquals(N, callsToReady.getOrDefault(SimOperation.CREATE_DEPLOYMENT, 0L));
        // A Ready deployment is deleted without a read first; one read after it (its API 404) remains.
        assertEquals(N, callsToDelete.getOrDefault(SimOperation.GET_DEPLOYMENT, 0L), "one deployment GET each");
        assertEquals(N, callsToDelete.getOrDefault(SimOperation.DELETE_DEPLOYMENT, 0L)
            + callsToDelete.getOrDefault(SimOperation.DELETE_DEPLOYMENTS, 0L), "one DELETE each (one at a time)");
      }
      for (String name : names) {
        int[] writes = recorder.toReady.getOrDefault(name, new int[2]);
        int[] deletion = recorder.deleting.getOrDefault(name, new int[2]);
        List<Event> events = world.env.events(name);
        System.out.printf("%s %s: %d writes (%d status) and %d events to Ready; deletion: %d writes (%d status), "
            + "%d events%n", provider, name, writes[0], writes[1], eventsToReady.get(name), deletion[0], deletion[1],
            events.size() - eventsToReady.get(name));
        System.out.printf("  events: %s%n", events.stream().map(e -> e.getReason()).toList());
        assertEquals(2, writes[0], name + ": the finalizer with the record, then the Ready status");
        assertEquals(1, writes[1], name + ": the Ready status is one of them");
        assertEquals(1, eventsToReady.get(name), name + ": one Event to Ready (created and live): " + events);
        assertTrue(deletion[1] <= 1, name + ": at most 1 status write while deleting, saw " + deletion[1]);
        assertTrue(events.size() - eventsToReady.get(name) <= 1, name + ": at most 1 Event for the deletion");
      }
      assertEquals(N, recorder.ready.size(), "every resource was seen Ready by the watch");
      for (String name : names) {
        // The operator's requests about this object: the finalizer with the record, the Ready status,
        // the finalizer's removal. Nothing read first (a patch by name would GET before it patches).
        List<String> onIt = API.sent().stream().filter(r -> r.uri().getPath()
            .matches(".*/namespaces/" + Resources.NS + "/agentdeployments/" + name + "(/status)?"))
            .map(r -> r.method() + (r.uri().getPath().endsWith("/status") ? " status" : "")).toList();
        assertEquals(List.of("PATCH", "PATCH status", "PATCH"), onIt, name + ": the operator's requests about it");
      }
    }
  }
}

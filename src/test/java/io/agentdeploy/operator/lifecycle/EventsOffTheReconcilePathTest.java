package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events go to the API server after the reconcile that recorded them, on a thread of their own: an
 * events API that does not answer (throttled, or slow as a crowded API server's can be) holds up no
 * create and no deletion, and the Events arrive, in order, once it answers.
 */
class EventsOffTheReconcilePathTest {
  /** Holds every Event the operator sends until opened. */
  private static final CountDownLatch EVENTS_OPEN = new CountDownLatch(1);
  private static final AtomicInteger HELD = new AtomicInteger();
  /** The reasons of the Events the operator sent, in the order they left. */
  private static final List<String> SENT = new CopyOnWriteArrayList<>();
  private static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*\"([^\"]+)\"");
  private SimulatedWorld world;

  @BeforeEach
  void start() {
    world = new SimulatedWorld(SimulatedWorld.fastSimulator(), OperatorHarness.FAST,
        kube -> eventsHeld(kube.newClient()));
  }

  @AfterEach
  void stop() {
    EVENTS_OPEN.countDown();
    world.close();
  }

  private static KubernetesClient eventsHeld(KubernetesClient template) {
    Interceptor hold = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if ("POST".equals(request.method()) && request.uri().getPath().endsWith("/events")) {
          HELD.incrementAndGet();
          Matcher reason = REASON.matcher(String.valueOf(request.bodyString()));
          SENT.add(reason.find() ? reason.group(1) : "?");
          try {
            EVENTS_OPEN.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
    return InterceptedClient.like(template, "hold-events", hold);
  }

  @Test
  void aResourceGoesReadyAndIsDeletedWhileItsEventsWaitThenTheyArriveInOrder() {
    String name = "events-held";
    world.apply(Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
    world.env.awaitReady(name);
    world.delete(name);
    world.env.awaitGone(name);
    // The reconciles are done; their Events are still waiting for the API server.
    assertTrue(HELD.get() >= 1, "an Event was on its way while the resource was created and deleted");
    List<String> before = world.env.client.v1().events().inNamespace(Resources.NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    assertEquals(List.of(), before, "nothing about it reached the API server yet");
    assertTrue(pending() >= 2, "the metric shows them waiting (the create's and the deletion's): " + pending());

    EVENTS_OPEN.countDown();
    List<String> written = await().atMost(Duration.ofSeconds(20)).until(() -> world.env.events(name).stream()
        .map(Event::getReason).toList(), r -> r.contains("Deleted"));
    assertEquals(1, written.stream().filter("Deleted"::equals).count(), "reported once: " + written);
    assertTrue(written.contains("Created"), "the create's Event arrived too: " + written);
    // One writer, in the order recorded: the create's Event left before the deletion's.
    List<String> sent = SENT.stream().filter(r -> r.equals("Created") || r.equals("Deleted")).toList();
    assertEquals(List.of("Created", "Deleted"), sent, "sent in the order recorded: " + SENT);
    world.env.flushEvents();
    assertEquals(0.0, pending(), 0.0, "none left waiting");
  }

  /** agentdeploy_events_pending as the operator's /metrics has it. */
  private double pending() {
    return world.env.runtime().meters().scrape().lines().filter(l -> l.startsWith("agentdeploy_events_pending "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).findFirst()
        .orElseThrow(() -> new AssertionError("agentdeploy_events_pending is not exported"));
  }
}

package io.agentdeploy.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The event de-duplication against the embedded API server: what is sent, and how much is remembered. */
class EventRecorderMemoryTest {
  private static final String NS = "events";
  private static EmbeddedKubernetes kube;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    kube = EmbeddedKubernetes.start();
    client = kube.client();
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  private static <T extends HasMetadata> T object(T object, String name) {
    object.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).withUid("uid-" + name).build());
    return object;
  }

  private static AgentDeployment agent(String name) {
    return object(new AgentDeployment(), name);
  }

  /** What reached the API server: Events are written on the recorder's own thread, so after a flush. */
  private static long sent(EventRecorder events, String name, String reason) {
    assertTrue(events.flush(Duration.ofSeconds(60)), "the recorded Events are written");
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).count();
  }

  @Test
  void memoryIsBoundedAndTheLeastRecentlyActiveObjectGoesFirst() {
    EventRecorder events = new EventRecorder(client, Clock.systemUTC(), Duration.ofMinutes(10), 100);
    AgentDeployment first = agent("lru-0");
    events.normal(first, "Created", "created remote deployment d-0");
    for (int i = 1; i < 250; i++) {
      events.normal(agent("lru-" + i), "Created", "created remote deployment d-" + i);
      // The first object stays active: an LRU keeps it, a plain insertion-order bound would not.
      events.normal(first, "Created", "created remote deployment d-0");
    }
    assertEquals(100, events.remembered(), "bounded at the capacity");
    assertEquals(1, sent(events, "lru-0", "Created"), "the active object is still remembered: no repeat");
    events.normal(agent("lru-1"), "Created", "created remote deployment d-1");
    assertEquals(2, sent(events, "lru-1", "Created"), "an evicted object at worst repeats one event");
  }

  @Test
  void aContinuingConditionIsReportedOncePerReasonWhateverItsMessageSays() {
    EventRecorder events = new EventRecorder(client, Clock.systemUTC(), Duration.ofMinutes(10));
    AgentDeployment stuck = agent("stuck");
    for (int minute = 11; minute < 20; minute++) {
      events.ongoing(stuck, "deletion-stuck", EventRecorder.Type.Warning, "DeleteStuck",
          "still being deleted after " + minute + " minutes");
      events.ongoing(stuck, "deletion-trouble", EventRecorder.Type.Warning, "DeleteFailed",
          "deleting failed (request id r-" + minute + ")");
    }
    assertEquals(1, sent(events, "stuck", "DeleteStuck"));
    assertEquals(1, sent(events, "stuck", "DeleteFailed"), "one topic does not reset another");
    events.ongoing(stuck, "deletion-trouble", EventRecorder.Type.Warning, "DeleteBlocked", "blocked");
    events.ongoing(stuck, "deletion-trouble", EventRecorder.Type.Warning, "DeleteFailed", "failed again");
    assertEquals(2, sent(events, "stuck", "DeleteFailed"), "the reason changed and came back: reported again");
    events.settled(stuck, "deletion-stuck");
    events.ongoing(stuck, "deletion-stuck", EventRecorder.Type.Warning, "DeleteStuck", "stuck again");
    assertEquals(2, sent(events, "stuck", "DeleteStuck"), "a settled condition that returns is reported again");
  }

  @Test
  void oneOffEventsRepeatOnlyWithANewMessage() {
    EventRecorder events = new EventRecorder(client, Clock.systemUTC(), Duration.ofMinutes(10));
    AgentDeployment a = agent("one-off");
    events.normal(a, "RevisionDeployed", "revision r-1 is live");
    events.normal(a, "RevisionDeployed", "revision r-1 is live");
    events.normal(a, "RevisionDeployed", "revision r-2 is live");
    assertEquals(2, sent(events, "one-off", "RevisionDeployed"));
  }

  @Test
  void theSweepDropsOnlyGoneObjectsOfItsKind() {
    EventRecorder events = new EventRecorder(client, Clock.systemUTC(), Duration.ofMinutes(10));
    events.normal(agent("kept"), "Created", "x");
    events.normal(agent("gone"), "Created", "x");
    events.normal(object(new ControlPlane(), "plane"), "KeyRotated", "x");
    events.retainOnly(new AgentDeployment().getKind(), Set.of("uid-kept"));
    assertEquals(2, events.remembered(), "the gone AgentDeployment is dropped, the ControlPlane is not");
    events.normal(agent("kept"), "Created", "x");
    events.normal(agent("gone"), "Created", "x");
    assertEquals(1, sent(events, "kept", "Created"));
    assertEquals(2, sent(events, "gone", "Created"));
  }
}

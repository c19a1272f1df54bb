package io.agentdeploy.operator.controller;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits Kubernetes Events, de-duplicated per object so a resource stuck in a retry loop does not
 * flood the event stream, with memory bounded without scans:
 * <ul>
 *   <li>{@link #normal}/{@link #warning}: one-off events (Created, RevisionDeployed of a revision…);
 *       the same reason and message for the same object is sent once per window.
 *   <li>{@link #ongoing}: an event about a continuing condition (DeleteStuck, DeleteFailed…) is sent
 *       once per object and topic until that topic's reason changes or {@link #settled} ends it,
 *       whatever numbers or ids its message carries.
 * </ul>
 * The memory is an access-ordered LRU of objects (each with a small LRU of one-off keys), so the
 * least recently active object is dropped first and no event scans the whole map; a dropped or
 * forgotten object at worst repeats one event. {@link #retainOnly} drops objects that are gone
 * without a cleanup (a finalizer removed by hand).
 *
 * <p>What to say is decided, logged and built on the recording thread; the write to the API server
 * happens on the {@link EventWriter}'s thread, so no reconcile waits for it.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "agent-deployment-operator";

  public enum Type { Normal, Warning }

  /** Where events about cluster-scoped objects go. */
  public static final String CLUSTER_SCOPED_EVENTS = "default";

  /** Objects remembered; about 10,000 resources with room to spare. */
  static final int MAX_OBJECTS = 20_000;
  /** One-off keys remembered per object (messages carry revision ids, so they accumulate). */
  static final int MAX_ONE_OFF_PER_OBJECT = 16;

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration window;
  private final EventWriter writer = new EventWriter();
  /** Guarded by itself: access order changes on every read. */
  private final Map<String, Memory> byUid;

  /** What was said about one object: its kind (for the sweep), one-off keys, the reason per topic. */
  private static final class Memory {
    final String kind;
    final Map<String, Instant> oneOff = new LinkedHashMap<>(4, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
        return size() > MAX_ONE_OFF_PER_OBJECT;
      }
    };
    final Map<String, String> reasonByTopic = new HashMap<>(2);

    Memory(String kind) {
      this.kind = kind;
    }
  }

  public EventRecorder(KubernetesClient client, Clock clock, Duration window) {
    this(client, clock, window, MAX_OBJECTS);
  }

  EventRecorder(KubernetesClient client, Clock clock, Duration window, int maxObjects) {
    this.client = client;
    this.clock = clock;
    this.window = window;
    this.byUid = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Memory> eldest) {
        return size() > maxObjects;
      }
    };
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, Type.Normal, reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, Type.Warning, reason, message);
  }

  /** A one-off event: sent unless the same reason and message went out for this object within the window. */
  public void record(HasMetadata object, Type type, String reason, String message) {
    Instant now = clock.instant();
    String key = reason + "|" + message;
    synchronized (byUid) {
      Map<String, Instant> sent = memory(object).oneOff;
      Instant previous = sent.get(key);
      if (previous != null && Duration.between(previous, now).compareTo(window) < 0) {
        return;
      }
      sent.put(key, now);
    }
    emit(object, type, reason, message, now);
  }

  /**
   * An event about a continuing condition: sent when {@code topic} had another reason (or none)
   * for this object, then not again until the reason changes or {@link #settled} ends the topic.
   */
  public void ongoing(HasMetadata object, String topic, Type type, String reason, String message) {
    synchronized (byUid) {
      if (reason.equals(memory(object).reasonByTopic.put(topic, reason))) {
        return;
      }
    }
    emit(object, type, reason, message, clock.instant());
  }

  /** The condition of {@code topic} is over: the next {@link #ongoing} event on it is sent again. */
  public void settled(HasMetadata object, String topic) {
    synchronized (byUid) {
      Memory m = byUid.get(object.getMetadata().getUid());
      if (m != null) {
        m.reasonByTopic.remove(topic);
      }
    }
  }

  private Memory memory(HasMetadata object) {
    return byUid.computeIfAbsent(object.getMetadata().getUid(), uid -> new Memory(String.valueOf(object.getKind())));
  }

  private void emit(HasMetadata object, Type type, String reason, String message, Instant now) {
    String ns = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    String who = ns == null ? object.getKind() + " " + name : ns + "/" + name;
    if (type == Type.Warning) {
      LOG.warn("{}: {}: {}", who, reason, message);
    } else {
      LOG.info("{}: {}: {}", who, reason, message);
    }
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    // The API server accepts an event about a cluster-scoped object (a ClusterControlPlane) only in
    // "default" (or kube-system), with no namespace in its involvedObject: where kubectl looks for it.
    String eventNamespace = ns == null ? CLUSTER_SCOPED_EVENTS : ns;
    Event event = new EventBuilder()
        .withNewMetadata().withGenerateName(name + ".").withNamespace(eventNamespace).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(object.getApiVersion())
            .withKind(object.getKind()).withName(name).withNamespace(ns).withUid(object.getMetadata().getUid())
            .withResourceVersion(object.getMetadata().getResourceVersion()).build())
        .withType(type.name()).withReason(reason).withMessage(message)
        .withFirstTimestamp(timestamp).withLastTimestamp(timestamp).withCount(1)
        .withEventTime(new MicroTime(now.truncatedTo(ChronoUnit.MICROS).toString()))
        .withReportingComponent(COMPONENT).withReportingInstance(COMPONENT).withAction(reason)
        .withNewSource(COMPONENT, null).build();
    writer.write(() -> {
      try {
        client.v1().events().inNamespace(eventNamespace).resource(event).create();
      } catch (RuntimeException e) {
        // An event is best effort: failing to write one (refused, or the client closing under a
        // stop) must not fail anything else, nor end the writer's thread with a stack trace.
        LOG.debug("could not write event {} for {}: {}", reason, who, e.getMessage());
      }
    });
  }

  /**
   * Waits until the Events recorded so far are written, at most {@code timeout}: Events go out on
   * a thread of their own ({@link EventWriter}), after the reconcile that recorded them.
   *
   * @return false when the timeout came first
   */
  public boolean flush(Duration timeout) {
    return writer.flush(timeout);
  }

  /** Events recorded and not yet written to the API server (for the metric). */
  public long pending() {
    return writer.pending();
  }

  /** A graceful stop: queued Events are written first, for at most {@code grace}. */
  public void close(Duration grace) {
    writer.close(grace);
  }

  /** A simulated crash: queued Events are lost, as they would be in a killed process. */
  public void abandon() {
    writer.abandon();
  }

  /** Forgets an object's history when it is gone. */
  public void forget(HasMetadata object) {
    synchronized (byUid) {
      byUid.remove(object.getMetadata().getUid());
    }
  }

  /** Drops what is remembered about objects of {@code kind} whose uid is not in {@code live}. */
  public void retainOnly(String kind, Set<String> live) {
    synchronized (byUid) {
      byUid.entrySet().removeIf(e -> e.getValue().kind.equals(kind) && !live.contains(e.getKey()));
    }
  }

  /** How many objects are remembered (bounded by the capacity, {@link #MAX_OBJECTS} by default). */
  int remembered() {
    synchronized (byUid) {
      return byUid.size();
    }
  }
}

package io.agentdeploy.operator.controller;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits Kubernetes Events, de-duplicated: the same reason and message for the same object is sent
 * once per window, so a resource stuck in a retry loop does not flood the event stream.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "agent-deployment-operator";

  public enum Type { Normal, Warning }

  /** Where events about cluster-scoped objects go. */
  public static final String CLUSTER_SCOPED_EVENTS = "default";

  private static final int MAX_REMEMBERED = 10_000;

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration window;
  private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

  public EventRecorder(KubernetesClient client, Clock clock, Duration window) {
    this.client = client;
    this.clock = clock;
    this.window = window;
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, Type.Normal, reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, Type.Warning, reason, message);
  }

  public void record(HasMetadata object, Type type, String reason, String message) {
    Instant now = clock.instant();
    String key = object.getMetadata().getUid() + "|" + reason + "|" + message;
    Instant previous = lastSent.get(key);
    if (previous != null && Duration.between(previous, now).compareTo(window) < 0) {
      return;
    }
    lastSent.put(key, now);
    if (lastSent.size() > MAX_REMEMBERED) {
      // Messages carry revision ids, so keys accumulate on long-lived resources: forget old ones.
      lastSent.values().removeIf(sent -> Duration.between(sent, now).compareTo(window) >= 0);
    }
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
    try {
      client.v1().events().inNamespace(eventNamespace).resource(new EventBuilder()
          .withNewMetadata().withGenerateName(name + ".").withNamespace(eventNamespace).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(object.getApiVersion())
              .withKind(object.getKind()).withName(name).withNamespace(ns).withUid(object.getMetadata().getUid())
              .withResourceVersion(object.getMetadata().getResourceVersion()).build())
          .withType(type.name()).withReason(reason).withMessage(message)
          .withFirstTimestamp(timestamp).withLastTimestamp(timestamp).withCount(1)
          .withEventTime(new MicroTime(now.truncatedTo(ChronoUnit.MICROS).toString()))
          .withReportingComponent(COMPONENT).withReportingInstance(COMPONENT).withAction(reason)
          .withNewSource(COMPONENT, null).build()).create();
    } catch (KubernetesClientException e) {
      // An event is best effort: failing to write one must not fail the reconcile.
      LOG.debug("could not write event {} for {}: {}", reason, who, e.getMessage());
    }
  }

  /** Forgets an object's history when it is gone, so the map does not grow forever. */
  public void forget(HasMetadata object) {
    String prefix = object.getMetadata().getUid() + "|";
    lastSent.keySet().removeIf(k -> k.startsWith(prefix));
  }
}

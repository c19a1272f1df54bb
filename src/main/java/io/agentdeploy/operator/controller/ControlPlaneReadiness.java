package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ControlPlaneKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code agentdeploy_controlplane_ready{kind,namespace,name,reason}}: 1 when a ControlPlane or
 * ClusterControlPlane is Ready, else 0, with the reason of its Ready condition. One series per
 * object: when the reason changes the old series goes, and a deleted object's series goes with
 * it. A ClusterControlPlane has namespace "" (it has none).
 */
public final class ControlPlaneReadiness {
  private record Key(ControlPlaneKind kind, String namespace, String name) {}

  private record State(boolean ready, String reason) {}

  private final MultiGauge gauge;
  private final Map<Key, State> states = new LinkedHashMap<>();

  public ControlPlaneReadiness(MeterRegistry registry) {
    this.gauge = MultiGauge.builder("agentdeploy.controlplane.ready")
        .description("1 when the control plane is Ready, else 0; reason is its Ready condition's reason")
        .register(registry);
  }

  synchronized void set(ControlPlaneKind kind, String namespace, String name, boolean ready, String reason) {
    State next = new State(ready, reason == null ? "" : reason);
    if (!next.equals(states.put(new Key(kind, namespace == null ? "" : namespace, name), next))) {
      publish();
    }
  }

  synchronized void remove(ControlPlaneKind kind, String namespace, String name) {
    if (states.remove(new Key(kind, namespace == null ? "" : namespace, name)) != null) {
      publish();
    }
  }

  /** Drops the series of objects of {@code kind} not in {@code live} (gone without a cleanup). */
  synchronized void retainOnly(ControlPlaneKind kind, java.util.List<? extends HasMetadata> live) {
    java.util.Set<Key> keep = live.stream().map(r -> new Key(kind, r.getMetadata().getNamespace() == null ? ""
        : r.getMetadata().getNamespace(), r.getMetadata().getName())).collect(java.util.stream.Collectors.toSet());
    if (states.keySet().removeIf(k -> k.kind() == kind && !keep.contains(k))) {
      publish();
    }
  }

  /** Replaces every row: rows of removed objects and old reasons disappear from the registry. */
  private void publish() {
    gauge.register(states.entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("kind", e.getKey().kind().name(),
        "namespace", e.getKey().namespace(), "name", e.getKey().name(), "reason", e.getValue().reason()),
        e.getValue().ready() ? 1 : 0)).toList(), true);
  }
}

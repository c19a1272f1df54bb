package io.agentdeploy.operator.controller;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own metrics (next to JOSDK's and the remote request metrics of the transport):
 * AgentDeployments by phase, and how long a spec change takes to become Ready.
 */
public final class OperatorMetrics {
  public static final List<String> PHASES =
      List.of("Pending", "Creating", "Deploying", "Ready", "Failed", "Error", "Paused", "Expired", "Deleting");

  private final Map<String, String> phaseByResource = new ConcurrentHashMap<>();
  private final Timer toReady;
  private final MeterRegistry registry;
  /** Seconds between resyncs of settled Agentex deployments, per ControlPlane (see {@link AgentexResync}). */
  private final Map<List<String>, Double> effectiveResync = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (String phase : PHASES) {
      Gauge.builder("agentdeploy.resources", phaseByResource, m -> m.values().stream().filter(phase::equals).count())
          .description("AgentDeployments by phase").tag("phase", phase).register(registry);
    }
    toReady = Timer.builder("agentdeploy.rollout.duration")
        .description("Time from applying a spec change to the remote until the new revision is live")
        .serviceLevelObjectives(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(30))
        .register(registry);
  }

  /** Records the phase of a resource; null when it is gone. */
  void phase(String uid, String phase) {
    if (phase == null) {
      phaseByResource.remove(uid);
    } else if (!Objects.equals(phaseByResource.get(uid), phase)) {
      phaseByResource.put(uid, phase);
    }
  }

  /** Drops the phases of resources not in {@code live} (gone without a cleanup), so no phase counts them. */
  void retainOnly(Set<String> live) {
    phaseByResource.keySet().retainAll(live);
  }

  /** The resync settled Agentex deployments of a ControlPlane get now: the configured one or stretched. */
  void effectiveResync(String kind, String namespace, String name, Duration resync) {
    List<String> controlPlane = List.of(kind, namespace, name);
    if (effectiveResync.put(controlPlane, resync.toMillis() / 1000.0) == null) {
      Gauge.builder("agentdeploy.effective.resync", effectiveResync, m -> m.getOrDefault(controlPlane, Double.NaN))
          .description("Seconds between resyncs of settled Agentex deployments: the resync, or longer when the "
              + "account's rate limit cannot cover one GET per deployment per resync")
          .baseUnit("seconds").tags("kind", kind, "namespace", namespace, "name", name).register(registry);
    }
  }

  void rolloutCompleted(Duration took) {
    if (!took.isNegative()) {
      toReady.record(took);
    }
  }
}

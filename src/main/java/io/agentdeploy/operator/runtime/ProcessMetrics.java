package io.agentdeploy.operator.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a replica says about itself: {@code agentdeploy_build_info{version}} (always 1, so a query
 * can join on the version) and {@code agentdeploy_leader} (1 while this replica reconciles: it
 * holds the Lease, or leader election is off).
 */
final class ProcessMetrics {
  /** The jar manifest's Implementation-Version; "unknown" when run from classes (tests, an IDE). */
  static final String VERSION = versionOf(ProcessMetrics.class.getPackage().getImplementationVersion());

  private final AtomicInteger leader;

  ProcessMetrics(MeterRegistry registry, boolean leaderElection) {
    Gauge.builder("agentdeploy.build.info", () -> 1).description("The operator's version; always 1")
        .tag("version", VERSION).strongReference(true).register(registry);
    // A standby counts as not leading until JOSDK's callback says it took the Lease.
    leader = new AtomicInteger(leaderElection ? 0 : 1);
    Gauge.builder("agentdeploy.leader", leader, AtomicInteger::get)
        .description("1 while this replica reconciles (holds the Lease, or leader election is off), else 0")
        .strongReference(true).register(registry);
  }

  void leading(boolean value) {
    leader.set(value ? 1 : 0);
  }

  static String versionOf(String manifestVersion) {
    return manifestVersion == null || manifestVersion.isBlank() ? "unknown" : manifestVersion;
  }
}

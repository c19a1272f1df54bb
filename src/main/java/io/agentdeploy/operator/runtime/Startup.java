package io.agentdeploy.operator.runtime;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Startup measurements: time from JVM start to the first reconcile, and peak resident memory. */
public final class Startup {
  private static final Logger LOG = LoggerFactory.getLogger(Startup.class);
  private static final AtomicLong FIRST_RECONCILE_MS = new AtomicLong(-1);

  private Startup() {}

  /** Called at every reconcile; only the first one is recorded (and logged). */
  public static void reconcileStarted() {
    if (FIRST_RECONCILE_MS.get() < 0) {
      long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
      if (FIRST_RECONCILE_MS.compareAndSet(-1, uptime)) {
        LOG.info("first reconcile {} ms after JVM start", uptime);
      }
    }
  }

  public static OptionalLong firstReconcileMillis() {
    long v = FIRST_RECONCILE_MS.get();
    return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** Peak resident set size (VmHWM) in MiB, where /proc is available. */
  public static OptionalLong peakRssMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
        }
      }
    } catch (Exception unavailable) {
      // not Linux: nothing to report
    }
    return OptionalLong.empty();
  }
}

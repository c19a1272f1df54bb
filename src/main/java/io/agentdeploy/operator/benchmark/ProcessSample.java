package io.agentdeploy.operator.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says about one process: CPU seconds used so far (user + system, from
 * {@code /proc/<pid>/stat}), resident memory now and at its peak (VmRSS, VmHWM of
 * {@code /proc/<pid>/status}). Zeros where /proc is not there (not Linux).
 */
record ProcessSample(double cpuSeconds, long rssMib, long peakRssMib) {
  /** USER_HZ: the unit of utime and stime, 100 on every Linux architecture Java runs on. */
  private static final double CLOCK_TICKS_PER_SECOND = 100.0;

  static ProcessSample of(long pid) {
    try {
      return new ProcessSample(cpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))),
          kib(Files.readString(Path.of("/proc", Long.toString(pid), "status")), "VmRSS:") / 1024,
          kib(Files.readString(Path.of("/proc", Long.toString(pid), "status")), "VmHWM:") / 1024);
    } catch (IOException | RuntimeException e) {
      return new ProcessSample(0, 0, 0);
    }
  }

  /** Fields 14 and 15 (utime, stime), counted after the command name, which may itself hold spaces. */
  static double cpuSeconds(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
  }

  static long kib(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }
}

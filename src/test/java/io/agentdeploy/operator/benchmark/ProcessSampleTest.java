package io.agentdeploy.operator.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The /proc readings behind the benchmark's CPU and memory rows. */
class ProcessSampleTest {
  @Test
  void cpuIsUserPlusSystemTicksCountedAfterACommandNameWithSpacesAndParentheses() {
    // Fields 14 and 15 are utime 250 and stime 50 ticks: 3 s at 100 ticks a second.
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 1000 0 0";
    assertEquals(3.0, ProcessSample.cpuSeconds(stat), 1e-9);
  }

  @Test
  void memoryIsReadInKibAndReportedInMib() {
    String status = "Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n";
    assertEquals(204800, ProcessSample.kib(status, "VmHWM:"));
    assertEquals(102400, ProcessSample.kib(status, "VmRSS:"));
  }

  @Test
  void thisJvmHasUsedCpuAndMemory() {
    ProcessSample self = ProcessSample.of(ProcessHandle.current().pid());
    assertTrue(self.cpuSeconds() > 0, "a running JVM has used CPU");
    assertTrue(self.peakRssMib() >= self.rssMib() && self.rssMib() > 0, "peak at least current, both above 0");
  }
}

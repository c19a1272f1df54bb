package io.agentdeploy.operator.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The benchmark end to end at N = 20, both operators, as separate processes from the test's class
 * path, after a warm-up round of 5, the null operator writing Events: the table has its shape, the
 * facts that hold on any machine hold (every resource Ready and then gone in both columns, the real operator created each remotely once and wrote each resource,
 * nothing is written in the steady window), and no child process outlives the command. No timings.
 */
class BenchmarkSmokeTest {
  private static final String HEADER = "| figure | this operator | null operator with Events | ratio |";

  @Test
  void bothOperatorsReachReadyAndDeleteAllAndThePrintedTableSaysSo(@TempDir Path logs) {
    BenchmarkCommand command = new BenchmarkCommand();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    int exit = execute(command,
        "--resources=20", "--clients=4", "--steady=2s", "--resync=1s", "--poll-initial=200ms", "--operator=both",
        "--warm-up=5", "--null-events", "--logs=" + logs,
        // Start-up is most of a run of 20 on a busy machine; the figures asserted here do not depend on the JIT.
        "--jvm-option=-XX:TieredStopAtLevel=1", "--jvm-option=-XX:+UseSerialGC");
    String output = printed.toString(StandardCharsets.UTF_8);
    System.out.println(output);

    assertEquals(0, exit, "every resource Ready and deleted in both runs");
    assertTrue(output.contains(HEADER + "\n|---|---|---|---|\n"), "a Markdown table with both columns");
    Map<String, List<String>> rows = rows(output);
    assertEquals(List.of("20 / 20", "20 / 20"), rows.get("resources Ready (of 20)"));
    assertEquals(List.of("20 / 20", "20 / 20"), rows.get("resources deleted (of 20)"));
    assertEquals(List.of("0", "0"), rows.get("AgentDeployment writes in the steady window (2 s)"));
    for (String writes : rows.get("AgentDeployment writes per resource to Ready (watch MODIFIED), mean / max")) {
      assertTrue(Double.parseDouble(writes.split(" / ")[0]) > 0, "each resource is written on its way to Ready");
    }
    // --null-events: the null operator writes an Event per create and per deletion, as this one does.
    for (String phase : List.of("Events per resource to Ready", "Events per resource in deletion")) {
      for (String events : rows.get(phase)) {
        assertTrue(Double.parseDouble(events) >= 1.0, phase + ": " + rows.get(phase));
      }
    }
    List<String> remote = rows.get("remote calls per resource, create to Ready");
    // "(20)": the warm-up round's 5 creates come before the measured round and are not in its figures.
    assertTrue(remote.get(0).contains("createDeployment 1.00 (20)"), "one remote create per resource: " + remote.get(0));
    assertEquals("–", remote.get(1), "the null operator calls no remote");
    for (String process : List.of("operator", "mock API server", "simulator")) {
      assertTrue(rows.containsKey(process + " peak RSS (MiB)"), "memory of the " + process);
      assertTrue(rows.containsKey(process + " CPU s, create to Ready"), "CPU of the " + process);
    }

    assertEquals(6, command.childPids.size(), "three processes per run");
    for (long pid : command.childPids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " is gone");
    }
  }

  /**
   * The API server probe: one row per store size asked for, in ascending order whatever the order
   * given, each after the server was seen to hold exactly that many Events (the probe checks it and
   * fails otherwise), each with a positive time per create and per patch; no process left behind.
   */
  @Test
  void apiServerWriteCostPrintsARowPerStoreSize(@TempDir Path logs) {
    BenchmarkCommand command = new BenchmarkCommand();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    int exit = execute(command, "--api-server-write-cost=300,0", "--resources=40", "--clients=4", "--logs=" + logs,
        "--jvm-option=-XX:TieredStopAtLevel=1");
    String output = printed.toString(StandardCharsets.UTF_8);
    System.out.println(output);

    assertEquals(0, exit, output);
    List<String> rows = Arrays.stream(output.split("\n")).filter(l -> l.matches("\\| \\d+ \\|.*")).toList();
    assertEquals(2, rows.size(), "one row per store size: " + output);
    for (int i = 0; i < rows.size(); i++) {
      String[] cells = rows.get(i).substring(1).split("\\|");
      assertEquals(List.of("0", "300").get(i), cells[0].strip(), "ascending store sizes");
      assertTrue(Double.parseDouble(cells[1].strip()) > 0 && Double.parseDouble(cells[2].strip()) > 0, rows.get(i));
    }
    assertEquals(1, command.childPids.size(), "the API server's process");
    assertFalse(ProcessHandle.of(command.childPids.get(0)).map(ProcessHandle::isAlive).orElse(false));
  }

  /**
   * Parses and runs the command as the jar's command line does (enum values in any case, which the
   * default "--operator=both" needs too). The command quiets logging for its process (LogSetup.quiet);
   * here that process is the test JVM, whose later test classes read their logs: the levels are put back.
   */
  private static int execute(BenchmarkCommand command, String... args) {
    Map<String, ch.qos.logback.classic.Level> levels = new java.util.HashMap<>();
    ch.qos.logback.classic.LoggerContext context =
        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.javaoperatorsdk", "io.fabric8", "io.agentdeploy")) {
      levels.put(name, context.getLogger(name).getLevel());
    }
    try {
      return new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    } finally {
      levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
  }

  /** First cell to the two operator columns, for every row of the table. */
  private static Map<String, List<String>> rows(String output) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      if (!line.startsWith("| ") || line.equals(HEADER)) {
        continue;
      }
      List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1)).map(String::strip)
          .toList();
      assertEquals(4, cells.size(), "four columns in " + line);
      rows.put(cells.get(0), List.of(cells.get(1), cells.get(2)));
    }
    return rows;
  }
}

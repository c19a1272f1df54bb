package io.agentdeploy.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.config.OperatorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** The command line behaves as kubectl users expect: run by name, defaults in --help, --no-x, 1m30s. */
class CommandLineTest {
  /** The settings the operator would run with for these arguments, with or without "run" in front. */
  private static OperatorConfig parse(String... args) {
    Main main = new Main();
    RunCommand run = new RunCommand();
    ParseResult parsed = Main.commandLine(main, run).parseArgs(args);
    return (parsed.hasSubcommand() ? run : main).config();
  }

  @Test
  void runIsAcceptedByNameWithTheSameOptionsAsTheDefault() {
    assertEquals(parse("--namespaces=a,b", "--poll-max=45s"), parse("run", "--namespaces=a,b", "--poll-max=45s"));
    assertEquals(Duration.ofSeconds(45), parse("run", "--poll-max=45s").pollMax());
    StringWriter out = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out, true)).execute("run", "--help");
    assertEquals(0, code);
    assertTrue(out.toString().startsWith("Usage: agent-deployment-operator run "), out.toString());
  }

  @Test
  void helpShowsEveryDefault() {
    for (String[] command : List.of(new String[] {"--help"}, new String[] {"run", "--help"})) {
      StringWriter out = new StringWriter();
      Main.commandLine().setOut(new PrintWriter(out, true)).execute(command);
      String help = out.toString();
      for (String expected : List.of("Default: 15s", "Default: 10m", "Default: 30s", "Default: 8080", "Default: text",
          "Default: agent-deployment-operator-hash-key")) {
        assertTrue(help.contains(expected), expected + " missing from " + String.join(" ", command));
      }
      // Booleans too (picocli hides them unless asked), each with its negated form.
      for (String flag : List.of("--[no-]leader-election", "--[no-]server-side-apply", "--[no-]cluster-control-planes")) {
        String after = help.substring(help.indexOf("\n      " + flag) + 1);
        int next = after.indexOf("\n      --");
        String entry = next < 0 ? after : after.substring(0, next);
        assertTrue(entry.matches("(?s).*Default: (true|false).*"), entry);
      }
    }
    // Every option with a non-empty default shows it: a new option cannot forget. (An empty default
    // is said in words in the description, e.g. "empty watches all".)
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true)).execute("--help");
    for (OptionSpec option : cli.getCommandSpec().options()) {
      String value = option.defaultValue();
      if (value != null && !value.isEmpty() && !option.usageHelp() && !option.versionHelp()) {
        assertTrue(out.toString().contains("Default: " + value), option.longestName() + " does not show " + value);
      }
    }
  }

  @Test
  void booleansAreNegatableAndTakeAnOptionalValue() {
    Map<List<String>, Boolean> leaderElection = Map.of(List.of(), false, List.of("--leader-election"), true,
        List.of("--leader-election=true"), true, List.of("--leader-election=false"), false,
        List.of("--no-leader-election"), false, List.of("--leader-election", "true"), true);
    check(leaderElection, c -> c.leaderElection().enabled());
    Map<List<String>, Boolean> serverSideApply = Map.of(List.of(), true, List.of("--server-side-apply"), true,
        List.of("--no-server-side-apply"), false, List.of("--server-side-apply=false"), false,
        List.of("--server-side-apply", "false"), false);
    check(serverSideApply, OperatorConfig::serverSideApply);
    check(Map.of(List.of(), true, List.of("--no-cluster-control-planes"), false,
        List.of("--cluster-control-planes=false"), false), OperatorConfig::clusterControlPlanes);
  }

  private static void check(Map<List<String>, Boolean> cases, Function<OperatorConfig, Boolean> read) {
    for (var c : cases.entrySet()) {
      assertEquals(c.getValue(), read.apply(parse(c.getKey().toArray(String[]::new))), c.getKey().toString());
      List<String> withRun = new java.util.ArrayList<>(List.of("run"));
      withRun.addAll(c.getKey());
      assertEquals(c.getValue(), read.apply(parse(withRun.toArray(String[]::new))), withRun.toString());
    }
  }

  @Test
  void everyDurationFlagTakesGoDurations() {
    OperatorConfig config = parse("--poll-max=1m30s", "--resync-interval=1h30m", "--lease-duration=1m30s",
        "--request-timeout=1500ms", "--progress-deadline", "2h", "--retry-max=0", "--retry-after-max=1h");
    assertEquals(Duration.ofSeconds(90), config.pollMax());
    assertEquals(Duration.ofMinutes(90), config.resync());
    assertEquals(Duration.ofSeconds(90), config.leaderElection().leaseDuration());
    assertEquals(Duration.ofMillis(1500), config.requestTimeout());
    assertEquals(Duration.ofHours(2), config.progressDeadline());
    assertEquals(Duration.ZERO, config.retryMax());
    assertEquals(Duration.ofHours(1), config.retryAfterMax());
    assertEquals(Duration.ofMinutes(10), parse().retryAfterMax(), "the default");

    StringWriter err = new StringWriter();
    int code = Main.commandLine().setErr(new PrintWriter(err, true)).execute("--poll-max=1.5h");
    assertEquals(2, code, "a usage error");
    assertTrue(err.toString().lines().findFirst().orElse("").contains("not a duration: '1.5h' (use e.g. 500ms, 2s, 1m30s"),
        err.toString());
    StringWriter demoErr = new StringWriter();
    Main.commandLine().setErr(new PrintWriter(demoErr, true)).execute("demo", "--timeout=1m30x");
    assertTrue(demoErr.toString().contains("not a duration: '1m30x'"), demoErr.toString());
  }

  @Test
  void aFailingCommandPrintsOneLineInsteadOfAStackTrace() throws Exception {
    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      int code = Main.commandLine().setErr(new PrintWriter(err, true))
          .execute("simulator", "--port", String.valueOf(busy.getLocalPort()));
      assertEquals(1, code);
      List<String> lines = err.toString().lines().toList();
      assertEquals(1, lines.size(), err.toString());
      assertTrue(lines.get(0).startsWith("error: cannot start the simulator on port " + busy.getLocalPort() + ": "
          + "Address already in use"), lines.get(0));
    }
  }
}

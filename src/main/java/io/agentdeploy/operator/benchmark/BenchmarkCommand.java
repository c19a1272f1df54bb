package io.agentdeploy.operator.benchmark;

import io.agentdeploy.operator.config.DurationConverter;
import io.agentdeploy.operator.runtime.DemoDependencies;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark}: the operator, the mock API server and the simulator as separate processes,
 * N resources created by parallel clients, Ready, one resync interval, a steady window, all deleted; the same with the
 * null operator; a Markdown table of both on stdout. See docs/benchmarks.md.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Measure the operator against a mock API server and the simulator (separate processes), "
        + "side by side with a null operator; prints a Markdown table. See docs/benchmarks.md.")
public class BenchmarkCommand implements Callable<Integer> {
  /** Which operators run, back to back with fresh processes each. */
  public enum Operators { REAL, NULL, BOTH }

  @Option(names = "--one-at-a-time", description = "Each client waits until its resource is Ready before creating "
      + "the next; with --clients 1 this measures one resource at a time.")
  private boolean oneAtATime;

  @Option(names = "--resources", defaultValue = "100", description = "AgentDeployments to create.")
  int resources;

  @Option(names = "--warm-up", defaultValue = "0", paramLabel = "N",
      description = "Before the measured round, N resources created, made Ready and deleted (their Events too): the "
          + "figures of processes that have run for a while, JIT-compiled, rather than of cold ones.")
  int warmUp;

  @Option(names = "--null-events", description = "The null operator also writes one Event per create and per "
      + "deletion, as many as this operator: the floor of an operator that reports what it did.")
  boolean nullEvents;

  @Option(names = "--clients", defaultValue = "8", description = "Parallel clients that create and delete them.")
  int clients;

  @Option(names = "--operator", defaultValue = "both", description = "real, null or both (back to back).")
  Operators operators;

  @Option(names = "--steady", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long everything is held Ready before the deletes, after one resync interval "
          + "counted apart (the first resync after Ready).")
  Duration steady;

  @Option(names = "--resync", defaultValue = "10s", converter = DurationConverter.class,
      description = "The operators' resync interval (the real one's --resync-interval).")
  Duration resync;

  @Option(names = "--poll-initial", defaultValue = "2s", converter = DurationConverter.class,
      description = "The real operator's --poll-initial.")
  Duration pollInitial;

  @Option(names = "--step", defaultValue = "0ms", converter = DurationConverter.class,
      description = "The simulator's --step: time a revision spends in each status.")
  Duration step;

  @Option(names = "--database-delay", defaultValue = "0ms", converter = DurationConverter.class,
      description = "The simulator's --database-delay.")
  Duration databaseDelay;

  @Option(names = "--deletion-delay", defaultValue = "0ms", converter = DurationConverter.class,
      description = "The simulator's --deletion-delay.")
  Duration deletionDelay;

  @Option(names = "--latency", defaultValue = "0ms", converter = DurationConverter.class,
      description = "The simulator's --latency, added to every answer.")
  Duration latency;

  @Option(names = "--api-server-heap", defaultValue = "0",
      description = "-Xmx of the mock API server in MiB; 0 sizes it from --resources (1 GiB + 256 KiB a resource).")
  int apiServerHeapMib;

  @Option(names = "--timeout", defaultValue = "30m", converter = DurationConverter.class,
      description = "Longest wait for all Ready and for all gone; a run that times out reports what it got.")
  Duration timeout;

  @Option(names = "--logs", description = "Directory for each process's output; default a new temporary one.")
  Path logs;

  @Option(names = "--jvm-option", description = "Added to every child JVM's command line (repeatable), e.g. "
      + "-XX:TieredStopAtLevel=1 for a quick smoke run where start-up matters more than speed.")
  List<String> jvmOptions = new ArrayList<>();

  @Option(names = "--operator-jvm-option", description = "Added to both operators' command lines only (repeatable), "
      + "after --jvm-option: the same flags for the operator and the null operator, none for the API server or the "
      + "simulator.")
  List<String> operatorJvmOptions = new ArrayList<>();

  @Option(names = "--api-server-write-cost", split = ",", paramLabel = "EVENTS",
      description = "Instead of the benchmark: the mock API server alone, filled with these numbers of Events in turn "
          + "(e.g. 0,10000,20000), and the wall time of --resources creates and patches from --clients clients at "
          + "each (docs/benchmarks.md, \"The API server's cost per write\").")
  List<Integer> apiServerWriteCost = new ArrayList<>();

  PrintStream out = System.out;
  /** Every child process of the last call, for a test to check that none is left. */
  final List<Long> childPids = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!DemoDependencies.present()) {
      System.err.println("benchmark needs the mock API server of lib/demo/; run it from a clone: "
          + "java -jar target/agent-deployment-operator.jar benchmark");
      return 1;
    }
    // The table is the output; the driver's own client logging would only interleave with it.
    io.agentdeploy.operator.config.LogSetup.quiet();
    if (warmUp < 0) {
      System.err.println("--warm-up must be 0 (no warm-up round) or a number of resources, not " + warmUp);
      return 2;
    }
    BenchmarkSettings settings = settings();
    if (!apiServerWriteCost.isEmpty()) {
      childPids.add(new ApiServerWriteCost(settings, out).run(apiServerWriteCost.stream().sorted().toList(), resources));
      return 0;
    }
    out.printf("Benchmark %s: %d AgentDeployments, %d clients, steady %d s, resync %d s, poll-initial %d ms, "
        + "simulator step %d ms, latency %d ms, warm-up %d%s; %d cores; process logs in %s%n%n", Instant.now(), resources,
        clients, steady.toSeconds(), resync.toSeconds(), pollInitial.toMillis(), step.toMillis(), latency.toMillis(), warmUp,
        nullEvents ? ", null operator with Events" : "",
        Runtime.getRuntime().availableProcessors(), settings.logs());
    RunResult real = operators == Operators.NULL ? null : run(settings, OperatorKind.REAL);
    RunResult nul = operators == Operators.REAL ? null : run(settings, OperatorKind.NULL);
    out.print(new ResultTable(settings, real, nul).render());
    out.flush();
    return complete(real) && complete(nul) ? 0 : 1;
  }

  private RunResult run(BenchmarkSettings settings, OperatorKind kind) throws InterruptedException {
    System.err.println("benchmark: " + kind.label + " ...");
    RunResult result = new BenchmarkRun(settings, kind).execute();
    childPids.addAll(result.pids());
    return result;
  }

  private static boolean complete(RunResult r) {
    return r == null || (r.ready() == r.resources() && r.deleted() == r.resources());
  }

  BenchmarkSettings settings() throws java.io.IOException {
    Path dir = logs != null ? Files.createDirectories(logs) : Files.createTempDirectory("agentdeploy-benchmark");
    int heap = apiServerHeapMib > 0 ? apiServerHeapMib : 1024 + resources / 4;
    return new BenchmarkSettings(resources, clients, steady, resync, pollInitial, step, databaseDelay, deletionDelay,
        latency, heap, timeout, dir, List.copyOf(jvmOptions), List.copyOf(operatorJvmOptions), oneAtATime,
        warmUp, nullEvents);
  }
}

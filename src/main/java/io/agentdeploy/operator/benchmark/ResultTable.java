package io.agentdeploy.operator.benchmark;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The benchmark's answer as a Markdown table: one column per operator and a ratio column where a
 * comparison means something (throughput and delete speed: this operator against the null one, 1 is
 * as fast; CPU: how many times the null operator's).
 */
final class ResultTable {
  private static final String NONE = "–";

  private final BenchmarkSettings settings;
  private final RunResult real;
  private final RunResult nul;
  private final StringBuilder out = new StringBuilder();

  /** Either result may be null when that operator did not run. */
  ResultTable(BenchmarkSettings settings, RunResult real, RunResult nul) {
    this.settings = settings;
    this.real = real;
    this.nul = nul;
  }

  String render() {
    int n = settings.resources();
    out.append("| figure | ").append(OperatorKind.REAL.label).append(" | ").append(OperatorKind.NULL.label)
        .append(settings.nullEvents() ? " with Events" : "")
        .append(" | ratio |\n|---|---|---|---|\n");
    row("resources Ready (of " + n + ")", r -> r.ready() + " / " + r.resources(), null);
    row("throughput to all Ready (Ready/s)", r -> fixed(r.readyPerSecond(), 1),
        ratio(RunResult::readyPerSecond, false) + " (this / null)");
    row("time to Ready p50 / p95 / max (s)", r -> fixed(r.timeToReady()[0], 2) + " / " + fixed(r.timeToReady()[1], 2)
        + " / " + fixed(r.timeToReady()[2], 2), null);
    row("AgentDeployment writes per resource to Ready (watch MODIFIED), mean / max",
        r -> fixed(r.writesToReady()[0], 2) + " / " + fixed(r.writesToReady()[1], 0), null);
    row("Events per resource to Ready", r -> perResource(r.events().get(Phase.CREATE_TO_READY), r), null);
    row("Events still arriving after the last Ready (s)", r -> fixed(r.eventsAfterSeconds()[0], 2), null);
    row("AgentDeployment writes in the first resync after Ready (" + settings.resync().toSeconds() + " s)",
        r -> Long.toString(r.writes().get(Phase.FIRST_RESYNC)), null);
    row("AgentDeployment writes in the steady window (" + settings.steady().toSeconds() + " s)",
        r -> Long.toString(r.writes().get(Phase.STEADY)), null);
    row("Events in the steady window", r -> Long.toString(r.events().get(Phase.STEADY)), null);
    row("AgentDeployment writes per resource in deletion (watch MODIFIED, incl. the delete's own)",
        r -> perResource(r.writes().get(Phase.DELETION), r), null);
    row("Events per resource in deletion", r -> perResource(r.events().get(Phase.DELETION), r), null);
    row("Events still arriving after the last gone (s)", r -> fixed(r.eventsAfterSeconds()[1], 2), null);
    row("resources deleted (of " + n + ")", r -> r.deleted() + " / " + r.resources(), null);
    row("all deleted, wall (s)", r -> fixed(r.deleteWallSeconds(), 2),
        ratio(RunResult::deleteWallSeconds, true) + " (null / this: speed)");
    for (Phase p : Phase.values()) {
      row("remote calls per resource, " + p.label, r -> remote(r, p, r.resources()), null);
    }
    double resyncs = (double) settings.steady().toMillis() / settings.resync().toMillis();
    row("remote calls in the steady window, total (per resync of " + settings.resync().toSeconds() + " s)",
        r -> r.remoteCalls().isEmpty() ? NONE : r.remoteCalls().get(Phase.STEADY).total() + " ("
            + fixed(r.remoteCalls().get(Phase.STEADY).total() / resyncs, 1) + ")", null);
    for (String process : List.of("operator", "mock API server", "simulator")) {
      for (Phase p : Phase.values()) {
        // A ratio for the operators only: the other processes serve them, their CPU follows the operator's load.
        row(process + " CPU s, " + p.label, r -> fixed(cpu(r, process, p), 2),
            process.equals("operator") ? ratio(r -> cpu(r, process, p), false) + " (this / null)" : null);
      }
      row(process + " peak RSS (MiB)", r -> Long.toString(figures(r, process).peakRssMib()), null);
    }
    return out.toString();
  }

  private void row(String figure, Function<RunResult, String> value, String ratio) {
    out.append("| ").append(figure).append(" | ").append(real == null ? NONE : value.apply(real)).append(" | ")
        .append(nul == null ? NONE : value.apply(nul)).append(" | ")
        .append(ratio == null || real == null || nul == null ? "" : ratio).append(" |\n");
  }

  /** this / null, or null / this when {@code inverse} (for a duration, where less is better). */
  private String ratio(Function<RunResult, Double> figure, boolean inverse) {
    if (real == null || nul == null) {
      return "";
    }
    double a = figure.apply(real);
    double b = figure.apply(nul);
    return fixed(inverse ? b / a : a / b, 2);
  }

  private static String remote(RunResult r, Phase p, int resources) {
    RemoteCalls calls = r.remoteCalls().get(p);
    if (calls == null) {
      return NONE;
    }
    if (calls.byOperation().isEmpty()) {
      return "0";
    }
    // The total beside the rate: a handful of calls among 1,000 resources would read 0.00.
    return calls.byOperation().entrySet().stream().map(e -> e.getKey() + " " + fixed((double) e.getValue() / resources, 2)
        + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
  }

  private static String perResource(long total, RunResult r) {
    return fixed((double) total / r.resources(), 2);
  }

  private static ProcessFigures figures(RunResult r, String process) {
    return r.processes().stream().filter(f -> f.name().endsWith(process)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no process " + process));
  }

  private static double cpu(RunResult r, String process, Phase p) {
    Map<Phase, Double> cpu = figures(r, process).cpuSeconds();
    return cpu.get(p);
  }

  private static String fixed(double value, int decimals) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : NONE;
  }
}

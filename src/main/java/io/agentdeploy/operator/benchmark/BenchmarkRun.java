package io.agentdeploy.operator.benchmark;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.controller.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One run with fresh processes: start the API server, the simulator and an operator; a warm-up
 * round if asked for ({@link WarmUp}); create the resources, wait for all Ready, count one resync
 * interval apart (the first resync after Ready), hold the steady window, delete all, wait for all
 * gone; then stop the processes and say what was measured.
 */
final class BenchmarkRun {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  /** No Event for this long ends a phase's Event stream (see settleEvents). */
  private static final Duration EVENTS_QUIET = Duration.ofSeconds(1);
  private static final Duration EVENTS_SETTLE_MAX = Duration.ofSeconds(120);

  private final BenchmarkSettings settings;
  private final OperatorKind kind;
  private final ProcessLauncher launcher;

  BenchmarkRun(BenchmarkSettings settings, OperatorKind kind) {
    this.settings = settings;
    this.kind = kind;
    this.launcher = new ProcessLauncher(settings);
  }

  RunResult execute() throws InterruptedException {
    String run = kind.name().toLowerCase(java.util.Locale.ROOT);
    int httpPort = ProcessLauncher.freePort();
    List<Long> pids = new ArrayList<>();
    // The simulator starts while the API server does: JVM start-up is most of a small run's wall time.
    CompletableFuture<ChildJvm> simulator = CompletableFuture.supplyAsync(() -> launcher.simulator(run));
    try (ChildJvm api = startedOrStop(() -> launcher.apiServer(run), simulator); ChildJvm sim = simulator.join()) {
      pids.add(api.pid());
      pids.add(sim.pid());
      String apiUrl = api.readyMatch();
      try (KubernetesClient admin = ParallelClients.client(apiUrl);
          ChildJvm operator = launcher.operator(kind, run, apiUrl, httpPort)) {
        pids.add(operator.pid());
        admin.resource(Workload.namespace()).create();
        admin.resource(Workload.apiKey()).create();
        admin.resource(Workload.controlPlane("http://" + sim.readyMatch())).create();
        if (kind == OperatorKind.REAL) {
          // The key check of the ControlPlane is start-up, not the cost of N resources.
          waitFor(() -> controlPlaneReady(admin), Duration.ofSeconds(60));
          if (!controlPlaneReady(admin)) {
            throw new IllegalStateException("the ControlPlane did not become Ready within 60 s; see the operator's "
                + "log in " + settings.logs());
          }
        }
        List<ChildJvm> children = List.of(operator, api, sim);
        try (ParallelClients clients = new ParallelClients(apiUrl, settings.clients())) {
          new WarmUp(settings.warmUp(), settings.timeout()).run(admin, clients);
          ResourceLedger ledger = new ResourceLedger();
          try (Watch agents = admin.resources(AgentDeployment.class).inNamespace(Workload.NAMESPACE)
              .watch(ledger.agentWatcher());
              Watch events = admin.v1().events().inNamespace(Workload.NAMESPACE).watch(ledger.eventWatcher())) {
            return measure(ledger, clients, children, httpPort, pids);
          }
        }
      }
    }
  }

  /** Starts one child; if that fails, the other one starting alongside is stopped too. */
  private static ChildJvm startedOrStop(Supplier<ChildJvm> start, CompletableFuture<ChildJvm> alongside) {
    try {
      return start.get();
    } catch (RuntimeException e) {
      alongside.thenAccept(ChildJvm::close);
      throw e;
    }
  }

  private RunResult measure(ResourceLedger ledger, ParallelClients clients, List<ChildJvm> children, int httpPort,
      List<Long> pids) throws InterruptedException {
    int n = settings.resources();
    Map<Phase, RemoteCalls> remote = new EnumMap<>(Phase.class);
    Map<Phase, List<ProcessSample>> cpuAfter = new EnumMap<>(Phase.class);
    List<ProcessSample> start = samples(children);
    RemoteCalls before = scrape(httpPort);

    long createStart = System.nanoTime();
    clients.forEach(n, "created", (client, i) -> {
      ledger.creating(Workload.name(i));
      client.resource(Workload.agent(i)).create();
      long giveUp = System.nanoTime() + settings.timeout().toNanos();
      while (settings.oneAtATime() && !ledger.isReady(Workload.name(i)) && System.nanoTime() < giveUp) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
    });
    waitForCount("Ready", ledger::ready, settings.timeout());
    List<ResourceLedger.Entry> entries = ledger.entries();
    long lastReady = entries.stream().mapToLong(e -> e.readyNanos).max().orElse(createStart);
    double eventsAfterReady = settleEvents(ledger, lastReady);
    cpuAfter.put(Phase.CREATE_TO_READY, samples(children));
    RemoteCalls atReady = scrape(httpPort);
    remote.put(Phase.CREATE_TO_READY, atReady.since(before));

    ledger.phase(Phase.FIRST_RESYNC);
    Thread.sleep(settings.resync().toMillis());
    cpuAfter.put(Phase.FIRST_RESYNC, samples(children));
    RemoteCalls afterFirstResync = scrape(httpPort);
    remote.put(Phase.FIRST_RESYNC, afterFirstResync.since(atReady));

    ledger.phase(Phase.STEADY);
    Thread.sleep(settings.steady().toMillis());
    cpuAfter.put(Phase.STEADY, samples(children));
    RemoteCalls afterSteady = scrape(httpPort);
    remote.put(Phase.STEADY, afterSteady.since(afterFirstResync));

    ledger.phase(Phase.DELETION);
    long deleteStart = System.nanoTime();
    clients.forEach(n, "deleted", (client, i) -> client.resources(AgentDeployment.class).inNamespace(Workload.NAMESPACE)
        .withName(Workload.name(i)).delete());
    waitForCount("gone", ledger::gone, settings.timeout());
    long lastGone = ledger.entries().stream().mapToLong(e -> e.goneNanos).max().orElse(deleteStart);
    double eventsAfterGone = settleEvents(ledger, lastGone);
    cpuAfter.put(Phase.DELETION, samples(children));
    remote.put(Phase.DELETION, scrape(httpPort).since(afterSteady));

    return result(ledger.entries(), ledger.ready(), seconds(lastReady - createStart), ledger.gone(),
        seconds(lastGone - deleteStart), kind == OperatorKind.REAL ? remote : Map.of(),
        figures(children, start, cpuAfter), pids, new double[] {eventsAfterReady, eventsAfterGone});
  }

  /**
   * An operator may write its Events after the writes a resource's state shows (this one does, on a
   * thread of its own): before a phase's CPU, remote calls and Events are taken, the Event stream
   * must have been quiet for {@link #EVENTS_QUIET}, so every Event and the CPU it cost are counted in
   * the phase that caused them. The wall times stay what a user sees: the last Ready, the last gone.
   *
   * @return seconds from {@code phaseEnd} to the last Event about an AgentDeployment, 0 if none came later
   */
  static double settleEvents(ResourceLedger ledger, long phaseEnd) throws InterruptedException {
    long deadline = System.nanoTime() + EVENTS_SETTLE_MAX.toNanos();
    while (System.nanoTime() - Math.max(phaseEnd, ledger.lastEventNanos()) < EVENTS_QUIET.toNanos()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return Math.max(0, seconds(ledger.lastEventNanos() - phaseEnd));
  }

  private RunResult result(List<ResourceLedger.Entry> entries, int ready, double createSeconds, int gone,
      double deleteSeconds, Map<Phase, RemoteCalls> remote, List<ProcessFigures> processes, List<Long> pids,
      double[] eventsAfter) {
    double[] toReady = entries.stream().filter(ResourceLedger.Entry::ready)
        .mapToDouble(e -> seconds(e.readyNanos - e.createdNanos)).toArray();
    double[] writesToReady = entries.stream().filter(ResourceLedger.Entry::ready)
        .mapToDouble(e -> e.writesToReady).toArray();
    Percentiles time = new Percentiles(toReady);
    Percentiles writes = new Percentiles(writesToReady);
    Map<Phase, Long> modified = new EnumMap<>(Phase.class);
    Map<Phase, Long> events = new EnumMap<>(Phase.class);
    for (Phase p : Phase.values()) {
      modified.put(p, entries.stream().mapToLong(e -> e.writes.get(p).get()).sum());
      events.put(p, entries.stream().mapToLong(e -> e.events.get(p).get()).sum());
    }
    double meanWrites = java.util.Arrays.stream(writesToReady).average().orElse(Double.NaN);
    return new RunResult(kind, settings.resources(), ready, createSeconds > 0 ? ready / createSeconds : Double.NaN,
        new double[] {time.at(50), time.at(95), time.max()}, new double[] {meanWrites, writes.max()}, modified, events,
        gone, deleteSeconds, eventsAfter, remote, processes, pids);
  }

  private static List<ProcessFigures> figures(List<ChildJvm> children, List<ProcessSample> start,
      Map<Phase, List<ProcessSample>> after) {
    List<ProcessFigures> figures = new ArrayList<>();
    for (int c = 0; c < children.size(); c++) {
      Map<Phase, Double> cpu = new LinkedHashMap<>();
      double previous = start.get(c).cpuSeconds();
      long peak = 0;
      for (Phase p : Phase.values()) {
        ProcessSample s = after.get(p).get(c);
        cpu.put(p, s.cpuSeconds() - previous);
        previous = s.cpuSeconds();
        peak = Math.max(peak, s.peakRssMib());
      }
      figures.add(new ProcessFigures(children.get(c).name(), cpu, peak));
    }
    return figures;
  }

  private static List<ProcessSample> samples(List<ChildJvm> children) {
    return children.stream().map(ChildJvm::sample).toList();
  }

  private RemoteCalls scrape(int httpPort) {
    return kind == OperatorKind.REAL ? RemoteCalls.scrape(httpPort) : RemoteCalls.NONE;
  }

  private static boolean controlPlaneReady(KubernetesClient client) {
    ControlPlane cp = client.resources(ControlPlane.class).inNamespace(Workload.NAMESPACE).withName("langsmith").get();
    return cp != null && cp.getStatus() != null && Conditions.isTrue(cp.getStatus().getConditions(), Conditions.READY);
  }

  /** Polls until {@code done} or the timeout; a run that times out goes on and reports what it got. */
  private static void waitFor(BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** As above for a count of resources, with a progress line on stderr every 10 s (a run of 10,000 is long). */
  private void waitForCount(String what, IntSupplier count, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long nextReport = start + PROGRESS_EVERY.toNanos();
    long deadline = start + timeout.toNanos();
    while (count.getAsInt() < settings.resources() && System.nanoTime() < deadline) {
      if (System.nanoTime() >= nextReport) {
        System.err.printf("benchmark: %s %d of %d after %d s%n", what, count.getAsInt(), settings.resources(),
            (System.nanoTime() - start) / 1_000_000_000L);
        nextReport += PROGRESS_EVERY.toNanos();
      }
      Thread.sleep(20);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}

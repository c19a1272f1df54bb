package io.agentdeploy.operator.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.EnvVar;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.ChaosPlan;
import io.agentdeploy.operator.simulator.ChaosPlan.Kind;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Seeded chaos: N LangSmith and N Agentex resources are created, half of them edited, then all
 * deleted, while the simulator injects every fault kind of {@link ChaosPlan#standard} and the
 * operator is crashed (answers in flight lost, no drain) and restarted gracefully. At the end
 * the ownership invariants of DESIGN.md §4 are checked against the simulator's state and the
 * Kubernetes objects: no duplicates, no lost updates, status ids name the one remote object, no
 * redundant revisions or deploys, no orphans, no lost deletes.
 *
 * <p>{@code -Dchaos.seed=<long>} (default {@value #DEFAULT_SEED}) and {@code -Dchaos.n=<count>}
 * (default {@value #DEFAULT_N}) pick the run; a failure prints the seed to replay it. Both
 * providers run in the same operator at the same time, as in production, so every restart hits
 * both.
 */
class ChaosTest {
  static final long DEFAULT_SEED = 20260521L;
  static final int DEFAULT_N = 100;

  /**
   * Below these the run proves nothing: each kind must really have happened. LangSmith deletes go
   * out in bulk (up to 100 ids a call), so a run has fewer write calls that can lose an answer than
   * it has resources: its writes lose their answer more often in the standard plan.
   */
  static final int MIN_LOST_ANSWERS_PER_PROVIDER = 20;
  static final int MIN_OTHER_KIND_PER_PROVIDER = 1;
  static final int MIN_CRASHES = 3;
  static final int MIN_GRACEFUL = 1;

  /** Generous bounds for convergence: waits end as soon as the condition holds; these only stop a hang. */
  static final Duration CONVERGE = Duration.ofSeconds(90);
  static final Duration GONE = Duration.ofSeconds(60);

  static final Set<String> AGENTEX_LIVE = Set.of("PENDING", "RUNNING", "COMPLETED");

  /** The operator's short timings: fast polls and retries, a short request timeout. */
  static final OperatorConfig OPERATOR = OperatorConfig.defaults().withServerSideApply(false)
      .withTimings(Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofSeconds(60),
          Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(2))
      .withRequestTimeout(Duration.ofSeconds(2)).withRateLimit(400, 100);

  private final long seed = Long.getLong("chaos.seed", DEFAULT_SEED);
  private final int n = Integer.getInteger("chaos.n", DEFAULT_N);
  private final Random random = new Random(seed);
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Integer> specChanges = new ConcurrentHashMap<>();
  /** LangSmith names seen with more than one live deployment at the same sample, and the ids. */
  private final Map<String, Set<String>> sampledDuplicates = new ConcurrentHashMap<>();
  private final List<String> langsmithNames = new ArrayList<>();
  private final List<String> agentexNames = new ArrayList<>();
  private final Map<String, Long> redundant = new TreeMap<>();
  private final Map<String, Integer> duplicates = new TreeMap<>();
  private final Map<String, Integer> lostUpdates = new TreeMap<>();
  private final Map<String, Integer> orphans = new TreeMap<>();
  private final Map<String, Integer> statusIds = new TreeMap<>();
  private final Map<String, Integer> stuck = new TreeMap<>();
  private int createsInFlightAtCrash;
  /** Remote traffic of the first few resources of each violation kind, for the report. */
  private final List<String> traces = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Integer> tracedPerKind = new ConcurrentHashMap<>();
  private ChaosWorld current;

  @Test
  void ownershipInvariantsHoldUnderFaultsAndRestarts() throws Exception {
    long started = System.nanoTime();
    for (int i = 0; i < n; i++) {
      langsmithNames.add("ls-chaos-%03d".formatted(i));
      agentexNames.add("ax-chaos-%03d".formatted(i));
    }
    for (String p : List.of(Simulator.PROVIDER_LANGSMITH, Simulator.PROVIDER_AGENTEX)) {
      for (String k : List.of("duplicates", "lost updates", "status ids", "redundant writes", "orphans", "stuck deletes")) {
        table(k).put(p, 0);
      }
    }
    SimulatorConfig simConfig = SimulatorConfig.defaults()
        .withTimings(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(300))
        .withFaults(Duration.ZERO, 0, seed);
    ChaosPlan plan = ChaosPlan.standard(seed);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ChaosWorld world = new ChaosWorld(simConfig, OPERATOR)) {
      current = world;
      world.sim.faults().chaos(plan);
      Thread sampler = sampler(world);
      sampler.start();
      try {
        createPhase(world, pool);
        editPhase(world, pool);
        deletePhase(world, pool);
      } finally {
        sampler.interrupt();
        sampler.join();
      }
      sampledDuplicates.forEach((name, ids) -> {
        violations.add("duplicate (sampled): " + name + " had live deployments " + ids + " at the same time");
        trace("duplicate", name, new ArrayList<>(ids));
      });
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      checkMinimums(world, plan);
      print(world, plan, seconds);
    } finally {
      pool.shutdownNow();
    }
    if (!violations.isEmpty()) {
      fail(violations.size() + " invariant violations (seed " + seed + ", n " + n + "):\n  "
          + violations.stream().limit(60).collect(Collectors.joining("\n  "))
          + (violations.size() > 60 ? "\n  ... " + (violations.size() - 60) + " more" : ""));
    }
  }

  private Map<String, Integer> table(String row) {
    return switch (row) {
      case "duplicates" -> duplicates;
      case "lost updates" -> lostUpdates;
      case "status ids" -> statusIds;
      case "orphans" -> orphans;
      case "stuck deletes" -> stuck;
      default -> new HashMap<>();
    };
  }

  // ------------------------------------------------------------------ phases

  private void createPhase(ChaosWorld world, ExecutorService pool) throws Exception {
    // One create per provider is held 1.5 s by the simulator (after it was received, before it is
    // applied and answered); the operator is crashed while both are held, so both creates land
    // remotely with nobody left to hear the answer.
    long hold = 1_500;
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Delay(hold));
    world.sim.faults().next(SimOperation.AGENTEX_CREATE, 1, new Fault.Delay(hold));
    List<Future<?>> applies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String ls = langsmithNames.get(i);
      String ax = agentexNames.get(i);
      applies.add(pool.submit(() -> world.apply(ChaosWorld.langsmithAgent(ls, image(ls, 1), "info"))));
      applies.add(pool.submit(() -> world.apply(ChaosWorld.agentexAgent(ax, "1", 1))));
    }
    // When each held create arrived (within a poll of 5 ms): it is in flight until then + hold.
    Map<SimOperation, Long> heldAt = new ConcurrentHashMap<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> {
      for (SimOperation op : List.of(SimOperation.CREATE_DEPLOYMENT, SimOperation.AGENTEX_CREATE)) {
        if (world.sim.faults().queued(op) == 0) {
          heldAt.putIfAbsent(op, System.nanoTime());
        }
      }
      return heldAt.size() == 2;
    });
    long crashedAt = System.nanoTime();
    world.crashAndRestart();
    createsInFlightAtCrash = (int) heldAt.values().stream()
        .filter(at -> crashedAt < at + Duration.ofMillis(hold).toNanos()).count();
    for (Future<?> f : applies) {
      f.get();
    }
    Thread.sleep(1_000 + random.nextInt(2_000));
    world.crashAndRestart();
    converge(world, "create", names -> true);
    checkpoint(world, "after create");
  }

  private void editPhase(ChaosWorld world, ExecutorService pool) throws Exception {
    List<String> ls = new ArrayList<>(langsmithNames);
    List<String> ax = new ArrayList<>(agentexNames);
    Collections.shuffle(ls, random);
    Collections.shuffle(ax, random);
    List<Future<?>> edits = new ArrayList<>();
    for (String name : ls.subList(0, n / 2)) {
      specChanges.put(name, 1);
      edits.add(pool.submit(() -> world.edit(name, a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri(image(name, 2));
        a.getSpec().getLangsmith().setEnv(new ArrayList<>(List.of(new EnvVar("LOG_LEVEL", "debug", null))));
        return a;
      })));
    }
    for (String name : ax.subList(0, n / 2)) {
      specChanges.put(name, 1);
      edits.add(pool.submit(() -> world.edit(name, a -> {
        a.getSpec().getAgentex().getImage().setTag("2");
        a.getSpec().getAgentex().setEnvironmentConfig(io.agentdeploy.operator.api.TextSource.inline(
            ChaosWorld.environment(2)));
        return a;
      })));
    }
    Thread.sleep(500 + random.nextInt(1_500));
    world.crashAndRestart();
    for (Future<?> f : edits) {
      f.get();
    }
    Thread.sleep(1_000 + random.nextInt(2_000));
    world.gracefulRestart();
    converge(world, "edit", names -> true);
    checkpoint(world, "after edit");
    checkFinalState(world);
  }

  private void deletePhase(ChaosWorld world, ExecutorService pool) throws Exception {
    List<Future<?>> deletes = new ArrayList<>();
    List<String> all = new ArrayList<>(langsmithNames);
    all.addAll(agentexNames);
    Collections.shuffle(all, random);
    for (String name : all) {
      deletes.add(pool.submit(() -> world.delete(name)));
    }
    Thread.sleep(500 + random.nextInt(1_000));
    world.crashAndRestart();
    for (Future<?> f : deletes) {
      f.get();
    }
    // Faults stay on: a deletion must get through them like everything else.
    try {
      await().atMost(GONE).pollInterval(Duration.ofMillis(500)).until(() -> world.all().isEmpty());
    } catch (ConditionTimeoutException e) {
      for (AgentDeployment a : world.all()) {
        String p = provider(a.getMetadata().getName());
        stuck.merge(p, 1, Integer::sum);
        violations.add("stuck delete: " + a.getMetadata().getName() + " still in Kubernetes after " + GONE.toSeconds()
            + " s: " + describe(a));
        trace("stuck delete", a.getMetadata().getName(), List.of());
      }
    }
    checkOrphans(world);
  }

  // ------------------------------------------------------------------ convergence and checks

  private static String image(String name, int version) {
    return "registry.example.com/" + name + ":" + version;
  }

  private static String provider(String name) {
    return name.startsWith("ls-") ? Simulator.PROVIDER_LANGSMITH : Simulator.PROVIDER_AGENTEX;
  }

  static boolean converged(AgentDeployment a) {
    if (a.getStatus() == null || !a.getMetadata().getGeneration().equals(a.getStatus().getObservedGeneration())) {
      return false;
    }
    return Conditions.find(a.getStatus().getConditions(), Conditions.READY)
        .map(c -> "True".equals(c.getStatus()) && a.getMetadata().getGeneration().equals(c.getObservedGeneration()))
        .orElse(false);
  }

  private void converge(ChaosWorld world, String phase, Predicate<String> which) {
    try {
      await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500))
          .until(() -> world.all().stream().filter(a -> which.test(a.getMetadata().getName()))
              .allMatch(ChaosTest::converged) && world.all().size() == 2 * n);
    } catch (ConditionTimeoutException e) {
      for (AgentDeployment a : world.all()) {
        if (!converged(a)) {
          lostUpdates.merge(provider(a.getMetadata().getName()), 1, Integer::sum);
          violations.add("not converged after " + phase + " within " + CONVERGE.toSeconds() + " s: "
              + a.getMetadata().getName() + " " + describe(a));
        }
      }
    }
  }

  private static String describe(AgentDeployment a) {
    if (a.getStatus() == null) {
      return "(no status)";
    }
    String conditions = a.getStatus().getConditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason() + " \"" + c.getMessage() + "\"")
        .collect(Collectors.joining(", "));
    return "generation " + a.getMetadata().getGeneration() + ", observed " + a.getStatus().getObservedGeneration()
        + ", deploymentId " + a.getStatus().getDeploymentId() + ", " + conditions;
  }

  private static List<JsonNode> langsmithRemote(ChaosWorld world, String name) {
    return world.sim.langsmith().deployments().stream().filter(d -> name.equals(d.path("name").asText())).toList();
  }

  private static boolean live(JsonNode deployment) {
    return !"AWAITING_DELETE".equals(deployment.path("status").asText());
  }

  private static Map<String, List<JsonNode>> agentexByAgent(ChaosWorld world) {
    Map<String, List<JsonNode>> out = new HashMap<>();
    for (JsonNode d : world.sim.agentex().deploys()) {
      String manifest = d.path("manifest_file").asText();
      int at = manifest.indexOf("name: ");
      if (at >= 0) {
        String agent = manifest.substring(at + 6, manifest.indexOf('\n', at));
        out.computeIfAbsent(agent, k -> new ArrayList<>()).add(d);
      }
    }
    return out;
  }

  /** Sampled every 250 ms during the whole run: two live LangSmith deployments of one name is a duplicate. */
  private Thread sampler(ChaosWorld world) {
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        Map<String, Set<String>> live = new HashMap<>();
        for (JsonNode d : world.sim.langsmith().deployments()) {
          if (live(d)) {
            live.computeIfAbsent(d.path("name").asText(), k -> new TreeSet<>()).add(d.path("id").asText());
          }
        }
        live.forEach((name, ids) -> {
          if (ids.size() > 1) {
            sampledDuplicates.merge(name, ids, (a, b) -> {
              Set<String> u = new TreeSet<>(a);
              u.addAll(b);
              return u;
            });
          }
        });
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "chaos-duplicate-sampler");
    t.setDaemon(true);
    return t;
  }

  /** After a phase converged: one live remote object per resource, and status names it. */
  private void checkpoint(ChaosWorld world, String when) {
    Map<String, AgentDeployment> resources = world.all().stream()
        .collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a));
    for (String name : langsmithNames) {
      List<JsonNode> live = langsmithRemote(world, name).stream().filter(ChaosTest::live).toList();
      if (live.size() > 1) {
        duplicates.merge(Simulator.PROVIDER_LANGSMITH, live.size() - 1, Integer::sum);
        violations.add("duplicate " + when + ": " + name + " has " + live.size() + " live deployments "
            + live.stream().map(d -> d.path("id").asText()).toList());
        trace("duplicate", name, List.of());
      }
      checkStatusId(Simulator.PROVIDER_LANGSMITH, when, name, resources.get(name),
          live.stream().map(d -> d.path("id").asText()).toList());
    }
    Map<String, List<JsonNode>> deploys = agentexByAgent(world);
    for (String name : agentexNames) {
      List<JsonNode> live = deploys.getOrDefault(name, List.of()).stream()
          .filter(d -> AGENTEX_LIVE.contains(d.path("status").asText())).toList();
      if (live.size() > 1) {
        duplicates.merge(Simulator.PROVIDER_AGENTEX, live.size() - 1, Integer::sum);
        violations.add("duplicate " + when + ": agent " + name + " has " + live.size() + " live deploys "
            + live.stream().map(d -> d.path("id").asText() + "/" + d.path("status").asText()).toList());
        trace("duplicate", name, List.of());
      }
      checkStatusId(Simulator.PROVIDER_AGENTEX, when, name, resources.get(name),
          live.stream().map(d -> d.path("id").asText()).toList());
    }
  }

  private void checkStatusId(String provider, String when, String name, AgentDeployment a, List<String> liveIds) {
    String id = a == null || a.getStatus() == null ? null : a.getStatus().getDeploymentId();
    if (id == null || !liveIds.contains(id)) {
      statusIds.merge(provider, 1, Integer::sum);
      violations.add("status id " + when + ": " + name + " status.deploymentId " + id
          + " is not its live remote object " + liveIds);
      trace("status id", name, liveIds);
    }
  }

  /** After the edit phase converged: remote state equals the final spec; no redundant writes. */
  private void checkFinalState(ChaosWorld world) {
    Map<String, AgentDeployment> resources = world.all().stream()
        .collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a));
    for (String name : langsmithNames) {
      AgentDeployment a = resources.get(name);
      int changes = specChanges.getOrDefault(name, 0);
      String wantImage = image(name, 1 + changes);
      String wantLevel = changes == 0 ? "info" : "debug";
      List<JsonNode> all = langsmithRemote(world, name);
      List<JsonNode> live = all.stream().filter(ChaosTest::live).toList();
      if (live.size() != 1) {
        lostUpdate(name, "expected one live deployment, found " + live.size());
        continue;
      }
      JsonNode d = live.get(0);
      String image = d.at("/source_revision_config/image_uri").asText();
      String level = null;
      for (JsonNode s : d.path("secrets")) {
        if ("LOG_LEVEL".equals(s.path("name").asText())) {
          level = s.path("value").asText();
        }
      }
      boolean active = d.path("latest_revision_id").asText().equals(d.path("active_revision_id").asText());
      if (!wantImage.equals(image) || !wantLevel.equals(level) || !active || a == null || !converged(a)) {
        lostUpdate(name, "remote image " + image + " LOG_LEVEL " + level + " active==latest " + active
            + "; spec image " + wantImage + " LOG_LEVEL " + wantLevel + "; " + (a == null ? "resource missing" : describe(a)));
      }
      long revisions = all.stream().mapToLong(x -> world.sim.langsmith().revisions(x.path("id").asText()).size()).sum();
      long extra = revisions - (1 + changes);
      if (extra > 0) {
        redundant.merge(Simulator.PROVIDER_LANGSMITH, extra, Long::sum);
        violations.add("redundant writes: " + name + " has " + revisions + " revisions for " + changes
            + " spec change(s) (at most " + (1 + changes) + ")");
        trace("redundant writes", name, List.of());
      }
    }
    Map<String, List<JsonNode>> deploys = agentexByAgent(world);
    for (String name : agentexNames) {
      AgentDeployment a = resources.get(name);
      int changes = specChanges.getOrDefault(name, 0);
      String wantEnv = ChaosWorld.environment(1 + changes);
      List<JsonNode> mine = deploys.getOrDefault(name, List.of());
      List<JsonNode> live = mine.stream().filter(d -> AGENTEX_LIVE.contains(d.path("status").asText())).toList();
      if (live.size() != 1) {
        lostUpdate(name, "expected one live deploy, found " + live.stream()
            .map(d -> d.path("id").asText() + "/" + d.path("status").asText()).toList());
      } else {
        JsonNode d = live.get(0);
        // The operator's write-ahead nonce rides as a last comment line; content comparison ignores it.
        String env = d.path("environment_config").asText().replaceAll("(?m)^# agentdeploy\\.io/intent: \\S+\\s*\n?", "");
        if (!"COMPLETED".equals(d.path("status").asText()) || !wantEnv.equals(env) || a == null || !converged(a)) {
          lostUpdate(name, "remote deploy " + d.path("id").asText() + " " + d.path("status").asText()
              + " environment " + env.replace("\n", "\\n") + "; spec environment " + wantEnv.replace("\n", "\\n")
              + "; " + (a == null ? "resource missing" : describe(a)));
        }
      }
      long extra = mine.size() - (1 + changes);
      if (extra > 0) {
        redundant.merge(Simulator.PROVIDER_AGENTEX, extra, Long::sum);
        violations.add("redundant writes: agent " + name + " has " + mine.size() + " deploys for " + changes
            + " spec change(s) (at most " + (1 + changes) + "): " + mine.stream()
                .map(d -> d.path("id").asText().substring(0, 8) + "/" + d.path("status").asText()).toList());
        trace("redundant writes", name, List.of());
      }
    }
  }

  private void lostUpdate(String name, String what) {
    lostUpdates.merge(provider(name), 1, Integer::sum);
    violations.add("lost update: " + name + ": " + what);
    trace("lost update", name, List.of());
  }

  /** Keeps the remote traffic of {@code name} (its creates and lookups, and calls on {@code ids}) for the report. */
  private void trace(String kind, String name, List<String> ids) {
    if (tracedPerKind.merge(kind + " " + provider(name), 1, Integer::sum) > 3) {
      return;
    }
    ChaosWorld world = current;
    Set<String> known = new HashSet<>(ids);
    boolean agentex = name.startsWith("ax-");
    if (agentex) {
      agentexByAgent(world).getOrDefault(name, List.of()).forEach(d -> known.add(d.path("id").asText()));
    } else {
      world.sim.langsmith().deployments().stream().filter(d -> name.equals(d.path("name").asText()))
          .forEach(d -> known.add(d.path("id").asText()));
    }
    String marker = agentex ? "name: " + name + "\\n" : "\"name\":\"" + name + "\"";
    List<String> lines = world.sim.requests().matching(r -> known.stream().anyMatch(id -> r.path().contains(id))
        || (r.requestBody() != null && r.requestBody().contains(marker))
        || (r.query() != null && (r.query().contains("=" + name + "&") || r.query().endsWith("=" + name)))).stream()
        .map(r -> "    " + r + (r.status() == 0 ? "  [no answer: dropped, or lost after apply]" : "")
            + (r.responseBody() != null && r.status() == 404 ? "  " + r.responseBody().replaceAll("\\s+", " ") : ""))
        .toList();
    traces.add("--- " + kind + ": " + name + " (remote ids " + known + ")\n" + String.join("\n", lines));
  }

  /** After every resource is gone from Kubernetes: nothing of ours stays live remotely. */
  private void checkOrphans(ChaosWorld world) {
    Set<String> ours = new HashSet<>(langsmithNames);
    try {
      // AWAITING_DELETE ends by itself (the simulator's deletion delay): wait for it, briefly.
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
          .until(() -> world.sim.langsmith().deployments().stream().noneMatch(d -> ours.contains(d.path("name").asText())));
    } catch (ConditionTimeoutException e) {
      for (JsonNode d : world.sim.langsmith().deployments()) {
        if (ours.contains(d.path("name").asText())) {
          orphans.merge(Simulator.PROVIDER_LANGSMITH, 1, Integer::sum);
          violations.add("orphan: LangSmith deployment " + d.path("id").asText() + " of " + d.path("name").asText()
              + " is " + d.path("status").asText() + " after its resource was deleted");
          trace("orphan", d.path("name").asText(), List.of(d.path("id").asText()));
        }
      }
    }
    Map<String, List<JsonNode>> deploys = agentexByAgent(world);
    for (String name : agentexNames) {
      for (JsonNode d : deploys.getOrDefault(name, List.of())) {
        if (AGENTEX_LIVE.contains(d.path("status").asText())) {
          orphans.merge(Simulator.PROVIDER_AGENTEX, 1, Integer::sum);
          violations.add("orphan: Agentex deploy " + d.path("id").asText() + " of agent " + name + " is "
              + d.path("status").asText() + " after its resource was deleted");
          trace("orphan", name, List.of(d.path("id").asText()));
        }
      }
    }
  }

  private void checkMinimums(ChaosWorld world, ChaosPlan plan) {
    for (String p : List.of(Simulator.PROVIDER_LANGSMITH, Simulator.PROVIDER_AGENTEX)) {
      for (Kind k : Kind.values()) {
        long min = k == Kind.LOST_ANSWER ? MIN_LOST_ANSWERS_PER_PROVIDER : MIN_OTHER_KIND_PER_PROVIDER;
        if (plan.count(p, k) < min) {
          violations.add("too little chaos: " + p + " " + k + " injected " + plan.count(p, k) + " < " + min);
        }
      }
    }
    if (world.crashes < MIN_CRASHES) {
      violations.add("too little chaos: " + world.crashes + " crash restarts < " + MIN_CRASHES);
    }
    if (world.graceful < MIN_GRACEFUL) {
      violations.add("too little chaos: " + world.graceful + " graceful restarts < " + MIN_GRACEFUL);
    }
    if (createsInFlightAtCrash < 2) {
      violations.add("no crash with a create in flight for each provider");
    }
  }

  private void print(ChaosWorld world, ChaosPlan plan, long seconds) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    String ls = Simulator.PROVIDER_LANGSMITH;
    String ax = Simulator.PROVIDER_AGENTEX;
    for (Kind k : Kind.values()) {
      long min = k == Kind.LOST_ANSWER ? MIN_LOST_ANSWERS_PER_PROVIDER : MIN_OTHER_KIND_PER_PROVIDER;
      rows.put("fault " + k + " (min " + min + ")", new String[] {"" + plan.count(ls, k), "" + plan.count(ax, k)});
    }
    String crashes = world.crashes + " (" + createsInFlightAtCrash + "/2 held creates in flight at one)";
    rows.put("crash restarts (min " + MIN_CRASHES + ", shared)", new String[] {crashes, crashes});
    rows.put("graceful restarts (shared)", new String[] {"" + world.graceful, "" + world.graceful});
    rows.put("duplicates at check points (extra objects)", new String[] {"" + duplicates.get(ls), "" + duplicates.get(ax)});
    rows.put("duplicates sampled every 250 ms (names)", new String[] {"" + sampledDuplicates.size(), "-"});
    rows.put("status ids not naming the remote", new String[] {"" + statusIds.get(ls), "" + statusIds.get(ax)});
    rows.put("lost updates / not converged", new String[] {"" + lostUpdates.get(ls), "" + lostUpdates.get(ax)});
    rows.put("redundant writes", new String[] {"" + redundant.getOrDefault(ls, 0L), "" + redundant.getOrDefault(ax, 0L)});
    rows.put("stuck deletes", new String[] {"" + stuck.get(ls), "" + stuck.get(ax)});
    rows.put("orphans", new String[] {"" + orphans.get(ls), "" + orphans.get(ax)});
    StringBuilder out = new StringBuilder("\n=== chaos run: seed " + seed + ", n " + n + " per provider, wall time "
        + seconds + " s ===\n");
    out.append("%-46s %14s %14s%n".formatted("", "LangSmith", "Agentex"));
    rows.forEach((k, v) -> out.append("%-46s %14s %14s%n".formatted(k, v[0], v[1])));
    out.append("remote requests: ").append(world.sim.requests().counts()).append('\n');
    System.out.println(out);
    try {
      java.nio.file.Path dir = java.nio.file.Path.of("target", "chaos");
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.writeString(dir.resolve("report-" + seed + ".txt"), out + "\n"
          + String.join("\n", violations) + "\n\nTraces (simulator clock):\n" + String.join("\n", traces) + "\n");
    } catch (java.io.IOException e) {
      System.out.println("cannot write the chaos report: " + e);
    }
  }
}

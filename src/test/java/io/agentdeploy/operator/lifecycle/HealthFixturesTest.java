package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.controller.Annotations;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.FailureRule;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Produces the Argo CD health fixtures from a real lifecycle run and checks that the checked-in
 * files are what a fresh run produces (volatile values such as ids and times normalised). To
 * refresh them: {@code ./mvnw test -Dtest=HealthFixturesTest -Dagentdeploy.fixtures.write=true}.
 */
class HealthFixturesTest {
  static final Path DIR = Path.of("src/test/resources/argocd/fixtures");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final String FIXED_TIME = "2026-01-01T00:00:00Z";
  private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
  /** Keyed hashes (hmac-sha256:...) differ between runs: each run's operator makes its own key. */
  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

  @Test
  void checkedInFixturesAreWhatTheOperatorProduces() throws Exception {
    Map<String, String> produced = produce();
    if (Boolean.getBoolean("agentdeploy.fixtures.write")) {
      Files.createDirectories(DIR);
      for (var e : produced.entrySet()) {
        Files.writeString(DIR.resolve(e.getKey() + ".json"), e.getValue());
      }
    }
    Map<String, String> checkedIn = new TreeMap<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        checkedIn.put(f.getFileName().toString().replace(".json", ""), Files.readString(f));
      }
    }
    assertEquals(produced.keySet(), checkedIn.keySet(), "fixture names");
    for (String name : produced.keySet()) {
      assertEquals(checkedIn.get(name), produced.get(name), name + ".json differs from a fresh run; refresh with "
          + "-Dagentdeploy.fixtures.write=true if the change is intended");
    }
  }

  private static Map<String, String> produce() throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (SimulatedWorld world = new SimulatedWorld(SimulatorConfig.defaults()
        // A step (1 s) longer than the longest poll (0.8 s): every in-progress status is observed.
        .withTimings(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(60))
        .withFailureRules(List.of(FailureRule.image(":broken$", "DEPLOY_FAILED"))), OperatorHarness.FAST)) {
      OperatorHarness env = world.env;
      // Started together: these roll out in parallel while the other cases are captured.
      for (String name : List.of("fx-deleting", "fx-transient", "fx-stale")) {
        world.apply(agent(name, "registry.example.com/agent:1"));
      }
      world.apply(agent("fx-rollout", "registry.example.com/agent:1"));
      out.put("rolling-out", capture(env.awaitAgent("fx-rollout", Duration.ofSeconds(20),
          a -> a.getStatus() != null && "QUEUED".equals(a.getStatus().getRevisionStatus()))));
      out.put("ready", capture(env.awaitReady("fx-rollout")));

      world.apply(agent("fx-failed", "registry.example.com/agent:broken"));
      out.put("revision-failed", capture(env.awaitAgent("fx-failed", Duration.ofSeconds(20),
          reason(Conditions.READY, "RevisionFailed"))));

      world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Status(422));
      world.apply(agent("fx-rejected", "registry.example.com/agent:1"));
      out.put("remote-rejected", capture(env.awaitAgent("fx-rejected", Duration.ofSeconds(20),
          reason(Conditions.SYNCED, "RemoteRejected"))));

      world.sim.langsmith().createOutOfBand(SimulatedWorld.TENANT, "fx-conflict", "registry.example.com/x:1",
          Instant.now().minusSeconds(3600));
      world.apply(agent("fx-conflict", "registry.example.com/agent:1"));
      out.put("name-conflict", capture(env.awaitAgent("fx-conflict", Duration.ofSeconds(20),
          reason(Conditions.SYNCED, "NameConflict"))));

      AgentDeployment needsSecret = agent("fx-secret", "registry.example.com/agent:1");
      needsSecret.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("TOKEN", "fx-missing", "token"));
      world.apply(needsSecret);
      out.put("secret-not-found", capture(env.awaitAgent("fx-secret", Duration.ofSeconds(20),
          reason(Conditions.SYNCED, "SecretNotFound"))));

      env.client.resource(Resources.controlPlane("fx-no-key", world.sim.baseUrl(), "fx-absent-key",
          SimulatedWorld.TENANT)).create();
      world.apply(Resources.dockerAgent("fx-waiting", "fx-no-key", "registry.example.com/agent:1"));
      out.put("control-plane-not-ready", capture(env.awaitAgent("fx-waiting", Duration.ofSeconds(20),
          a -> reason(Conditions.SYNCED, "ControlPlaneNotReady").test(a)
              && !OperatorHarness.condition(a, Conditions.SYNCED).get().getMessage().contains("not checked yet"))));

      AgentDeployment paused = agent("fx-paused", "registry.example.com/agent:1");
      paused.getMetadata().setAnnotations(Map.of(Annotations.PAUSED, "true"));
      world.apply(paused);
      out.put("paused", capture(env.awaitAgent("fx-paused", Duration.ofSeconds(20),
          reason(Conditions.SYNCED, "Paused"))));

      env.awaitReady("fx-deleting");
      world.delete("fx-deleting");
      out.put("deleting", capture(env.awaitAgent("fx-deleting", Duration.ofSeconds(20),
          a -> "Deleting".equals(a.getStatus().getPhase()))));

      env.awaitReady("fx-transient");
      world.sim.faults().next(SimOperation.PATCH_DEPLOYMENT, 100, new Fault.Status(503));
      world.edit("fx-transient", a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
        return a;
      });
      // Between two retries: the answer (503) is recorded, no attempt is on its way. A poll can also
      // land while the next attempt's record is written (the condition still says RemoteUnavailable,
      // the record says in flight): not the state this fixture shows.
      out.put("remote-unavailable", capture(env.awaitAgent("fx-transient", Duration.ofSeconds(20),
          reason(Conditions.SYNCED, "RemoteUnavailable").and(a -> a.getStatus().getWriteAhead() == null
              || a.getStatus().getWriteAhead().getInFlightUntil() == null))));
      world.sim.faults().clear();

      AgentDeployment preview = Resources.agentexAgent("fx-preview", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1");
      io.agentdeploy.operator.api.AgentexPreview settings = new io.agentdeploy.operator.api.AgentexPreview();
      settings.setExpiresAt(Instant.now().plusSeconds(4).toString());
      preview.getSpec().getAgentex().setPreview(settings);
      world.apply(preview);
      out.put("expired-preview", capture(env.awaitAgent("fx-preview", Duration.ofSeconds(30),
          a -> a.getStatus() != null && "Expired".equals(a.getStatus().getPhase()))));

      env.awaitReady("fx-stale");
      env.stopOperator();
      world.edit("fx-stale", a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
        return a;
      });
      out.put("stale-generation", capture(env.get("fx-stale")));
      world.apply(agent("fx-new", "registry.example.com/agent:1"));
      out.put("not-yet-reconciled", capture(env.get("fx-new")));
      // The hash key Secret lost (no backup): the Ready deployment keeps running and stays Healthy.
      env.loseHashKey();
      env.startOperator();
      out.put("hash-key-changed", capture(env.awaitAgent("fx-rollout", Duration.ofSeconds(20),
          reason(Conditions.SYNCED, "HashKeyChanged"))));
    }
    return out;
  }

  private static AgentDeployment agent(String name, String image) {
    return Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, image);
  }

  /** The resource as Argo CD would see it, with values that differ between runs replaced. */
  static String capture(io.fabric8.kubernetes.api.model.HasMetadata resource) throws Exception {
    ObjectNode node = JSON.valueToTree(resource);
    ObjectNode meta = (ObjectNode) node.get("metadata");
    for (String volatileField : List.of("uid", "resourceVersion", "creationTimestamp", "managedFields",
        "deletionGracePeriodSeconds")) {
      meta.remove(volatileField);
    }
    if (meta.has("deletionTimestamp")) {
      meta.put("deletionTimestamp", FIXED_TIME);
    }
    JsonNode spec = node.path("spec").path("agentex").path("preview");
    if (spec.has("expiresAt")) {
      ((ObjectNode) spec).put("expiresAt", FIXED_TIME);
    }
    if (meta.path("annotations").has(Annotations.WRITE_AHEAD)) {
      // The first create's record: there or not depending on whether the first pass could create
      // (the ControlPlane's first check may come later), different every run, no input to health.
      ((ObjectNode) meta.get("annotations")).remove(Annotations.WRITE_AHEAD);
    }
    if (meta.path("annotations").has(Annotations.CREATE_INTENT)) {
      ((ObjectNode) meta.get("annotations")).put(Annotations.CREATE_INTENT, FIXED_TIME);
    }
    for (String empty : List.of("annotations", "labels", "ownerReferences", "finalizers")) {
      if (meta.path(empty).isEmpty()) {
        meta.remove(empty);
      }
    }
    JsonNode status = node.path("status");
    if (status.isObject()) {
      ObjectNode s = (ObjectNode) status;
      for (String time : List.of("rolloutStartedAt", "expiresAt")) {
        if (s.has(time)) {
          s.put(time, FIXED_TIME);
        }
      }
      if (s.has("lastRemoteEvent")) {
        s.put("lastRemoteEvent", s.get("lastRemoteEvent").asText().replaceAll("^[^|]*", FIXED_TIME));
      }
      for (JsonNode c : s.path("conditions")) {
        ((ObjectNode) c).put("lastTransitionTime", FIXED_TIME);
      }
      // The simulator's port, the key fingerprint and the write-ahead nonce differ between runs.
      for (ObjectNode holder : List.of(s, s.path("writeAhead").isObject() ? (ObjectNode) s.get("writeAhead") : s)) {
        if (holder.has("account")) {
          holder.put("account", holder.get("account").asText().replaceAll("127\\.0\\.0\\.1:[0-9]+", "127.0.0.1:0"));
        }
      }
      if (s.has("hashKeyId")) {
        s.put("hashKeyId", "00000000");
      }
      if (s.has("accountSettings")) {
        s.put("accountSettings", "0000000000000000");
      }
      if (s.path("writeAhead").isObject()) {
        ((ObjectNode) s.get("writeAhead")).put("nonce", "0000000000000000");
      }
    }
    String text = JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
    text = UUID.matcher(text).replaceAll("00000000-0000-0000-0000-000000000000");
    // Times and hashes of time-dependent specs (a preview's expiry) differ between runs.
    text = TIME.matcher(text).replaceAll(FIXED_TIME);
    return HASH.matcher(text).replaceAll("sha256:0000000000000000") + "\n";
  }
}

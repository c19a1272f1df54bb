package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.controller.Annotations;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.SimOperation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What GitOps tools rely on: no writes to spec, pause, reconcile-now, and explicit adoption. */
class GitOpsTest {
  private static final Duration LONG_RESYNC = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    var fast = OperatorHarness.FAST;
    world = new SimulatedWorld(SimulatedWorld.fastSimulator(), fast.withTimings(LONG_RESYNC, fast.pollInitial(),
        fast.pollMax(), fast.progressDeadline(), fast.deleteWarnAfter(), fast.retryInitial(), fast.retryMax()));
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @AfterEach
  void contract() {
    world.assertContract();
  }

  private static AgentDeployment agent(String name, String image) {
    return Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, image);
  }

  private static AgentDeployment annotate(String name, String key, String value) {
    return world.edit(name, a -> {
      Map<String, String> annotations = new java.util.HashMap<>(a.getMetadata().getAnnotations() == null ? Map.of()
          : a.getMetadata().getAnnotations());
      if (value == null) {
        annotations.remove(key);
      } else {
        annotations.put(key, value);
      }
      a.getMetadata().setAnnotations(annotations);
      return a;
    });
  }

  @Test
  void operatorNeverWritesSpecLabelsOrUserAnnotations() throws Exception {
    List<JsonNode> versions = new CopyOnWriteArrayList<>();
    JsonNode firstSpec;
    JsonNode secondSpec;
    Watch watch = world.env.client.genericKubernetesResources(AgentDeployment.GROUP + "/" + AgentDeployment.VERSION,
        "AgentDeployment").inNamespace(Resources.NS).withName("gitops-owned").watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, GenericKubernetesResource resource) {
            versions.add(JSON.valueToTree(resource));
          }

          @Override
          public void onClose(WatcherException cause) {
          }
        });
    try {
      AgentDeployment applied = agent("gitops-owned", "registry.example.com/agent:1");
      applied.getMetadata().setLabels(Map.of("app.kubernetes.io/part-of", "agents", "team", "support"));
      applied.getMetadata().setAnnotations(Map.of("argocd.argoproj.io/sync-wave", "1", "owner", "support@acme"));
      firstSpec = JSON.valueToTree(applied).path("spec");
      world.apply(applied);
      world.env.awaitReady("gitops-owned");
      AgentDeployment edited = world.edit("gitops-owned", a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
        return a;
      });
      secondSpec = firstSpec.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) secondSpec.at("/langsmith/revisionConfig"))
          .put("imageUri", "registry.example.com/agent:2");
      assertEquals(secondSpec, JSON.valueToTree(edited).path("spec"), "the edit as stored");
      world.env.awaitAgent("gitops-owned", Duration.ofSeconds(30),
          a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));
      world.delete("gitops-owned");
      world.env.awaitGone("gitops-owned");
      await().atMost(Duration.ofSeconds(5)).until(() -> versions.stream()
          .anyMatch(v -> v.at("/metadata/deletionTimestamp").isTextual()));
    } finally {
      watch.close();
    }
    assertTrue(versions.size() >= 8, "observed " + versions.size() + " versions");
    for (JsonNode v : versions) {
      long generation = v.at("/metadata/generation").asLong();
      JsonNode spec = v.path("spec");
      if (generation == 1) {
        assertEquals(firstSpec, spec, "generation 1 spec changed at resourceVersion "
            + v.at("/metadata/resourceVersion").asText());
      } else {
        assertEquals(secondSpec, spec, "generation 2 spec changed at resourceVersion "
            + v.at("/metadata/resourceVersion").asText());
      }
      assertEquals(Map.of("app.kubernetes.io/part-of", "agents", "team", "support"),
          JSON.convertValue(v.at("/metadata/labels"), Map.class), "labels");
      Map<?, ?> annotations = JSON.convertValue(v.at("/metadata/annotations"), Map.class);
      assertEquals("1", annotations.get("argocd.argoproj.io/sync-wave"));
      assertEquals("support@acme", annotations.get("owner"));
      for (Object key : annotations.keySet()) {
        assertTrue(List.of("argocd.argoproj.io/sync-wave", "owner", Annotations.WRITE_AHEAD, Annotations.CREATE_INTENT)
            .contains(key),
            "undocumented annotation " + key);
      }
    }
    // Both of the user's specs were seen, byte for byte, in the versions that followed them.
    assertTrue(versions.stream().anyMatch(v -> v.at("/metadata/generation").asLong() == 1));
    assertTrue(versions.stream().anyMatch(v -> v.at("/metadata/generation").asLong() == 2));
  }

  @Test
  void pausedResourceSendsNothingUntilResumedAndStillDeletesCleanly() {
    AgentDeployment paused = agent("paused-agent", "registry.example.com/agent:1");
    paused.getMetadata().setAnnotations(Map.of(Annotations.PAUSED, "true"));
    world.apply(paused);
    AgentDeployment seen = world.env.awaitAgent("paused-agent", Duration.ofSeconds(10),
        reason(Conditions.SYNCED, "Paused"));
    assertEquals("Paused", seen.getStatus().getPhase());
    assertEquals(List.of(), world.traffic("paused-agent", null));
    annotate("paused-agent", Annotations.PAUSED, null);
    String id = world.env.awaitReady("paused-agent").getStatus().getDeploymentId();

    annotate("paused-agent", Annotations.PAUSED, "true");
    world.env.awaitAgent("paused-agent", Duration.ofSeconds(10), reason(Conditions.SYNCED, "Paused"));
    world.delete("paused-agent");
    world.env.awaitGone("paused-agent");
    assertEquals(List.of(), world.remote("paused-agent"), "delete honours the finalizer while paused");
    assertEquals(1, world.count("paused-agent", id, SimOperation.DELETE_DEPLOYMENT));
  }

  @Test
  void reconcileRequestIsAcknowledgedLongBeforeTheResync() {
    world.apply(agent("poke-me", "registry.example.com/agent:1"));
    String id = world.env.awaitReady("poke-me").getStatus().getDeploymentId();
    long readsBefore = world.count("poke-me", id, SimOperation.GET_DEPLOYMENT);
    String stamp = Instant.now().toString();
    Instant asked = Instant.now();
    annotate("poke-me", Annotations.RECONCILE_REQUESTED_AT, stamp);
    world.env.awaitAgent("poke-me", Duration.ofSeconds(10), a -> stamp.equals(a.getStatus().getReconcileRequestHandled()));
    Duration took = Duration.between(asked, Instant.now());
    assertTrue(took.compareTo(LONG_RESYNC.dividedBy(4)) < 0, "acknowledged after " + took.toMillis() + " ms");
    assertTrue(world.count("poke-me", id, SimOperation.GET_DEPLOYMENT) > readsBefore, "the remote was read again");
  }

  @Test
  void existingDeploymentIsAdoptedOnlyWithTheOptIn() {
    world.sim.langsmith().createOutOfBand(SimulatedWorld.TENANT, "made-elsewhere", "registry.example.com/agent:1",
        Instant.now().minusSeconds(3600));
    AgentDeployment withoutOptIn = agent("made-elsewhere", "registry.example.com/agent:1");
    withoutOptIn.getSpec().getLangsmith().setEnv(null);
    world.apply(withoutOptIn);
    AgentDeployment conflict = world.env.awaitAgent("made-elsewhere", Duration.ofSeconds(10),
        reason(Conditions.SYNCED, "NameConflict"));
    assertTrue(condition(conflict, Conditions.SYNCED).get().getMessage().contains(Annotations.ADOPT));

    annotate("made-elsewhere", Annotations.ADOPT, "by-name");
    AgentDeployment adopted = world.env.awaitReady("made-elsewhere");
    String id = world.remote("made-elsewhere").get(0).path("id").asText();
    assertEquals(id, adopted.getStatus().getDeploymentId());
    assertEquals(0, world.count("made-elsewhere", id, SimOperation.PATCH_DEPLOYMENT), "nothing differed");
    assertEquals(0, world.count("made-elsewhere", null, SimOperation.CREATE_DEPLOYMENT));
    await().atMost(Duration.ofSeconds(5)).until(() -> world.env.eventCount("made-elsewhere", "Adopted") == 1);

    // Adopted by id, with a different image: exactly one PATCH brings it to the spec.
    String otherId = world.sim.langsmith().createOutOfBand(SimulatedWorld.TENANT, "made-elsewhere-2",
        "registry.example.com/agent:old", Instant.now().minusSeconds(3600));
    AgentDeployment byId = agent("made-elsewhere-2", "registry.example.com/agent:new");
    byId.getSpec().getLangsmith().setEnv(null);
    byId.getMetadata().setAnnotations(Map.of(Annotations.ADOPT, otherId));
    world.apply(byId);
    world.env.awaitAgent("made-elsewhere-2", Duration.ofSeconds(20), a -> OperatorHarness.readyNow(a)
        && otherId.equals(a.getStatus().getDeploymentId()) && "DEPLOYED".equals(a.getStatus().getRevisionStatus())
        && a.getStatus().getLatestRevisionId() != null
        && !a.getStatus().getLatestRevisionId().equals(world.sim.langsmith().revisions(otherId)
            .get(world.sim.langsmith().revisions(otherId).size() - 1).path("id").asText()));
    assertEquals(1, world.count("made-elsewhere-2", otherId, SimOperation.PATCH_DEPLOYMENT));
    assertEquals("registry.example.com/agent:new",
        world.remote("made-elsewhere-2").get(0).at("/source_revision_config/image_uri").asText());
  }
}

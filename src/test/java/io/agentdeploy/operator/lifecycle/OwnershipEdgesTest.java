package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.SimOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The smaller edges of issue 8: deletion after a lost create needs only the name, a refused
 * DELETE is read again before anything counts as gone, a create intent written by an older version
 * is honoured after an upgrade, and a resource that lost a release claim deploys once the winner is
 * gone.
 */
class OwnershipEdgesTest {
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld(SimulatedWorld.fastSimulator()
        .withFailureRules(java.util.List.of(io.agentdeploy.operator.simulator.FailureRule.agentexImageTag("^broken"))),
        OperatorHarness.FAST);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @AfterEach
  void contract() {
    world.sim.faults().clear();
    world.assertContract();
  }

  @Test
  void aLostCreateIsDeletedEvenWhenItsEnvSecretIsGoneFirst() {
    world.env.client.resource(Resources.secret("edge-gone-env", Map.of("token", "tok-edge"))).create();
    AgentDeployment agd = Resources.dockerAgent("edge-gone", SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1");
    agd.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("API_TOKEN", "edge-gone-env", "token"));
    world.env.stopOperator();
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.SaveThenFail(0));
    world.apply(agd);
    world.env.startOperator();
    await().atMost(Duration.ofSeconds(10)).until(() -> world.count("edge-gone", null,
        SimOperation.CREATE_DEPLOYMENT) == 1);
    // The create landed, its answer did not: stop before anything records the id, then delete the
    // Secret and the resource together, as a namespace deletion does.
    world.env.stopOperator();
    String made = world.remote("edge-gone").get(0).path("id").asText();
    world.env.client.resources(io.fabric8.kubernetes.api.model.Secret.class).inNamespace(Resources.NS)
        .withName("edge-gone-env").delete();
    world.delete("edge-gone");
    world.env.startOperator();
    world.env.awaitGone("edge-gone");
    assertEquals(1, world.count("edge-gone", made, SimOperation.DELETE_DEPLOYMENT),
        "the deployment the lost create made is deleted with the resource");
    assertTrue(world.remote("edge-gone").stream().allMatch(d -> "AWAITING_DELETE".equals(d.path("status").asText())),
        "nothing of it is left running: " + world.remote("edge-gone"));
  }

  @Test
  void anAgentexDeleteAnsweredWithAClientErrorIsReadAgainBeforeItCountsAsGone() {
    world.apply(Resources.agentexAgent("edge-refused", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
    String id = world.env.awaitReady("edge-refused").getStatus().getDeploymentId();
    world.sim.faults().next(SimOperation.AGENTEX_DELETE, 1, new Fault.Status(409));
    world.delete("edge-refused");
    world.env.awaitGone("edge-refused");
    JsonNode deploy = world.deploys("edge-refused").stream().filter(d -> id.equals(d.path("id").asText()))
        .findFirst().orElseThrow();
    assertEquals("DELETED", deploy.path("status").asText().toUpperCase(), "released only once the deploy is gone");
    assertEquals(2, world.agentexCount("edge-refused", SimOperation.AGENTEX_DELETE), "refused once, then deleted");
  }

  @Test
  void aCreateIntentFromAnOlderVersionIsHonouredAfterTheUpgrade() {
    world.env.stopOperator();
    Instant intent = Instant.now().minusSeconds(2);
    String id = world.sim.langsmith().createOutOfBand(SimulatedWorld.TENANT, "edge-legacy",
        "registry.example.com/a:1", intent.plusSeconds(1));
    AgentDeployment agd = Resources.dockerAgent("edge-legacy", SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1");
    agd.getMetadata().setAnnotations(Map.of("agentdeploy.io/create-intent", intent.toString()));
    world.apply(agd);
    world.env.startOperator();
    AgentDeployment ready = world.env.awaitReady("edge-legacy");
    assertEquals(id, ready.getStatus().getDeploymentId());
    assertEquals(0, world.count("edge-legacy", null, SimOperation.CREATE_DEPLOYMENT));
    assertEquals(1, world.env.eventCount("edge-legacy", "Recovered"));
  }

  @Test
  void theLoserOfAReleaseClaimDeploysOnceTheWinnerIsGone() {
    AgentDeployment first = Resources.agentexAgent("edge-claim", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1");
    first.getMetadata().setName("edge-claim-a");
    world.apply(first);
    world.env.awaitReady("edge-claim-a");
    AgentDeployment second = Resources.agentexAgent("edge-claim", SimulatedWorld.AGENTEX_CONTROL_PLANE, "2");
    second.getMetadata().setName("edge-claim-b");
    world.apply(second);
    AgentDeployment waiting = world.env.awaitAgent("edge-claim-b", Duration.ofSeconds(20),
        reason(Conditions.SYNCED, "NameConflict"));
    assertTrue(condition(waiting, Conditions.SYNCED).get().getMessage().contains("edge-claim-a"));
    world.delete("edge-claim-a");
    world.env.awaitGone("edge-claim-a");
    AgentDeployment ready = world.env.awaitReady("edge-claim-b");
    assertEquals(2, world.agentexCount("edge-claim", SimOperation.AGENTEX_CREATE), "one deploy each, in turn");
    assertEquals(1, world.deploys("edge-claim").stream()
        .filter(d -> Map.of("COMPLETED", 1, "RUNNING", 1, "PENDING", 1).containsKey(d.path("status").asText()
            .toUpperCase())).count(), "only the new owner's deploy runs: " + ready.getStatus().getDeploymentId());
  }

  @Test
  void elevenFailedDeploysLaterTheServingDeployIsStillDeletedWithTheResource() {
    world.apply(Resources.agentexAgent("edge-failing", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
    String serving = world.env.awaitReady("edge-failing").getStatus().getDeploymentId();
    for (int i = 1; i <= 11; i++) {
      String tag = "broken-" + i;
      long generation = edit("edge-failing", a -> a.getSpec().getAgentex().getImage().setTag(tag));
      world.env.awaitAgent("edge-failing", Duration.ofSeconds(20), a -> a.getStatus() != null
          && generation == a.getStatus().getObservedGeneration() && reason(Conditions.READY, "RevisionFailed").test(a));
    }
    AgentDeployment failing = world.env.get("edge-failing");
    assertTrue(failing.getStatus().getHistory().size() <= 10, "bounded: " + failing.getStatus().getHistory().size());
    assertTrue(failing.getStatus().getHistory().stream().anyMatch(h -> serving.equals(h.getId())),
        "the deploy that still serves is never dropped");
    world.delete("edge-failing");
    world.env.awaitGone("edge-failing");
    assertEquals("DELETED", world.deploys("edge-failing").stream().filter(d -> serving.equals(d.path("id").asText()))
        .findFirst().orElseThrow().path("status").asText().toUpperCase(), "no orphan after many failed deploys");
  }

  @Test
  void aLangSmithHistoryStaysBoundedAcrossManyRollouts() {
    world.apply(Resources.dockerAgent("edge-many", SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:0"));
    world.env.awaitReady("edge-many");
    for (int i = 1; i <= 11; i++) {
      String image = "registry.example.com/a:" + i;
      edit("edge-many", a -> a.getSpec().getLangsmith().getRevisionConfig().setImageUri(image));
      world.env.awaitReady("edge-many");
    }
    AgentDeployment ready = world.env.get("edge-many");
    assertEquals(10, ready.getStatus().getHistory().size(), "12 revisions made, the newest 10 kept");
    assertEquals(ready.getStatus().getActiveRevisionId(),
        ready.getStatus().getHistory().get(ready.getStatus().getHistory().size() - 1).getId());
    assertEquals(1, ready.getStatus().getHistory().stream().filter(h -> h.isLive()).count(),
        "one revision serves; the others are settled");
  }

  @Test
  void aFastRescheduleAfterTheWriteAheadRecordNeverSeesTheObjectWithoutIt() {
    // The record is written through JOSDK's caching status update, so the next pass (a fast
    // reschedule, a Secret event) reads it: no create ever looks like someone else's deployment.
    for (int i = 0; i < 15; i++) {
      world.apply(Resources.dockerAgent("edge-burst-" + i, SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1"));
    }
    for (int i = 0; i < 15; i++) {
      AgentDeployment ready = world.env.awaitReady("edge-burst-" + i);
      assertEquals(null, ready.getStatus().getWriteAhead());
    }
    for (int i = 0; i < 15; i++) {
      assertEquals(0, world.env.eventCount("edge-burst-" + i, "NameConflict"));
      assertEquals(1, world.count("edge-burst-" + i, null, SimOperation.CREATE_DEPLOYMENT));
    }
  }

  @Test
  void whereTheNonceIsStrippedALostCreateWaitsInsteadOfDuplicating() {
    world.sim.agentex().stripComments(true);
    try {
      world.sim.faults().next(SimOperation.AGENTEX_CREATE, 1, new Fault.SaveThenFail(0));
      world.apply(Resources.agentexAgent("edge-stripped", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
      AgentDeployment waiting = world.env.awaitAgent("edge-stripped", Duration.ofSeconds(20),
          reason(Conditions.SYNCED, "CreateOutcomeUnknown"));
      String made = world.deploys("edge-stripped").get(0).path("id").asText();
      assertTrue(condition(waiting, Conditions.SYNCED).get().getMessage().contains(made));
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> world.deploys("edge-stripped").size() == 1);
      edit("edge-stripped", a -> a.getMetadata().getAnnotations().put("agentdeploy.io/adopt", made));
      AgentDeployment ready = world.env.awaitReady("edge-stripped");
      assertEquals(made, ready.getStatus().getDeploymentId());
      assertEquals(null, ready.getStatus().getWriteAhead(), "the adoption settles the open create");
      assertEquals(1, world.agentexCount("edge-stripped", SimOperation.AGENTEX_CREATE));
    } finally {
      world.sim.agentex().stripComments(false);
    }
  }

  /** An edit that retries on a conflict with the operator's own status writes; returns the new generation. */
  private static long edit(String name, java.util.function.Consumer<AgentDeployment> change) {
    long[] generation = new long[1];
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      generation[0] = world.edit(name, a -> {
        change.accept(a);
        return a;
      }).getMetadata().getGeneration();
      return true;
    });
    return generation[0];
  }
}

package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.lifecycle.OperatorHarness.condition;
import static io.agentdeploy.operator.lifecycle.OperatorHarness.reason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.DriftGuardRecord;
import io.agentdeploy.operator.api.LangSmithResourceSpec;
import io.agentdeploy.operator.api.LangSmithSourceConfig;
import io.agentdeploy.operator.controller.Annotations;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.StoredForm;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A control plane that stores something other than what it was sent. Normalised spellings are no
 * drift at all; a rewrite no normalisation undoes costs at most one correcting PATCH, then the
 * guard says DriftUnresolvable and PATCHes nothing until it is re-armed. PATCHes are counted from
 * the simulator's request log; a "pass" is one GET of the deployment (the test resync is 3 s).
 */
class DriftGuardTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @AfterEach
  void release() {
    world.releaseAll();
    world.sim.langsmith().storeAs(StoredForm.AS_SENT);
    world.assertContract();
  }

  @Test
  void aNormalisingControlPlaneCausesNoDriftPatch() throws Exception {
    world.sim.langsmith().storeAs(StoredForm.CANONICAL);
    AgentDeployment agd = Resources.dockerAgent("canon", SimulatedWorld.CONTROL_PLANE, "team/agent");
    LangSmithSourceConfig sc = new LangSmithSourceConfig();
    sc.setCustomUrl("https://Canon.Example.com");
    LangSmithResourceSpec rs = new LangSmithResourceSpec();
    rs.setCpu(0.25);
    rs.setVolumes(List.of(JSON.readTree("{\"name\":\"data\",\"emptyDir\":{}}")));
    rs.setSidecars(List.of(JSON.readTree("{\"name\":\"proxy\",\"image\":\"envoy\"}")));
    sc.setResourceSpec(rs);
    agd.getSpec().getLangsmith().setSourceConfig(sc);
    world.apply(agd);
    String id = world.env.awaitReady("canon").getStatus().getDeploymentId();
    var stored = world.remote("canon").get(0);
    assertEquals("docker.io/team/agent:latest", stored.at("/source_revision_config/image_uri").asText(),
        "the control plane really stores another spelling");
    assertEquals("https://canon.example.com/", stored.at("/source_config/custom_url").asText());
    assertEquals(2, stored.at("/source_config/resource_spec/volumes").size());

    awaitPasses(id, 3);

    assertEquals(0, world.count("canon", id, SimOperation.PATCH_DEPLOYMENT), "no PATCH for equivalent spellings");
    assertEquals(0, world.env.eventCount("canon", "DriftCorrected"));
    AgentDeployment after = world.env.get("canon");
    assertEquals("Applied", condition(after, Conditions.SYNCED).get().getReason());
    assertEquals(null, after.getStatus().getDriftGuard());
  }

  @Test
  void anUnresolvableRewriteIsPatchedOnceThenReportedAndLeftAlone() {
    world.sim.langsmith().storeAs(StoredForm.MIRRORED);
    world.apply(Resources.dockerAgent("mirror", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));

    AgentDeployment tripped = world.env.awaitAgent("mirror", Duration.ofSeconds(30),
        reason(Conditions.SYNCED, "DriftUnresolvable"));
    String id = tripped.getStatus().getDeploymentId();
    assertEquals(1, world.count("mirror", id, SimOperation.PATCH_DEPLOYMENT), "exactly one correcting PATCH");
    DriftGuardRecord guard = tripped.getStatus().getDriftGuard();
    assertEquals(DriftGuardRecord.UNRESOLVABLE, guard.getState());
    assertEquals(List.of("source_revision_config.image_uri"), guard.getFields());
    assertTrue(guard.getRemoteHash().startsWith("hmac-sha256:"), guard.getRemoteHash());
    String message = condition(tripped, Conditions.SYNCED).get().getMessage();
    assertTrue(message.contains("source_revision_config.image_uri"), message);
    assertFalse(message.contains(StoredForm.MIRROR), "values stay out of status: " + message);

    // Ready follows the rollout of the correcting revision meanwhile.
    AgentDeployment ready = world.env.awaitReady("mirror");
    assertEquals("DriftUnresolvable", condition(ready, Conditions.SYNCED).get().getReason());

    awaitPasses(id, 3);
    assertEquals(1, world.count("mirror", id, SimOperation.PATCH_DEPLOYMENT), "nothing patched over later resyncs");
    assertEquals(1, world.env.eventCount("mirror", "DriftUnresolvable"), "one Warning event");
    assertEquals(1, world.env.eventCount("mirror", "DriftCorrected"));

    // A spec change is applied (one PATCH) and re-arms the guard: at most one more correction.
    world.edit("mirror", a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/agent:2");
      return a;
    });
    awaitTrippedAgain("mirror", 2);
    assertEquals(3, world.count("mirror", id, SimOperation.PATCH_DEPLOYMENT), "the spec PATCH and one correction");
    awaitPasses(id, 3);
    assertEquals(3, world.count("mirror", id, SimOperation.PATCH_DEPLOYMENT));

    // A new reconcile-requested-at value re-arms it as well.
    world.edit("mirror", a -> {
      Map<String, String> annotations = new HashMap<>(a.getMetadata().getAnnotations() == null ? Map.of()
          : a.getMetadata().getAnnotations());
      annotations.put(Annotations.RECONCILE_REQUESTED_AT, "2026-11-30T10:00:00Z");
      a.getMetadata().setAnnotations(annotations);
      return a;
    });
    awaitTrippedAgain("mirror", 3);
    assertEquals(4, world.count("mirror", id, SimOperation.PATCH_DEPLOYMENT), "one more correction");
    awaitPasses(id, 3);
    assertEquals(4, world.count("mirror", id, SimOperation.PATCH_DEPLOYMENT));
    assertEquals(3, world.env.eventCount("mirror", "DriftCorrected"));
  }

  @Test
  void aRemoteThatStopsRewritingIsCorrectedAgain() {
    world.sim.langsmith().storeAs(StoredForm.MIRRORED);
    world.apply(Resources.dockerAgent("mirror-off", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
    AgentDeployment tripped = world.env.awaitAgent("mirror-off", Duration.ofSeconds(30),
        reason(Conditions.SYNCED, "DriftUnresolvable"));
    String id = tripped.getStatus().getDeploymentId();
    // Someone changes the field on the control plane: new remote values re-arm the guard.
    world.sim.langsmith().storeAs(StoredForm.AS_SENT);
    world.sim.langsmith().editOutOfBand(id, sc -> { }, rc -> rc.put("image_uri", "registry.example.com/agent:hotfix"),
        true);
    AgentDeployment fixed = world.env.awaitAgent("mirror-off", Duration.ofSeconds(30),
        a -> reason(Conditions.SYNCED, "Applied").test(a) && a.getStatus().getDriftGuard() == null);
    assertNotEquals(tripped.getStatus().getLatestRevisionId(), fixed.getStatus().getLatestRevisionId());
    assertEquals(2, world.count("mirror-off", id, SimOperation.PATCH_DEPLOYMENT));
    assertEquals("registry.example.com/agent:1",
        world.remote("mirror-off").get(0).at("/source_revision_config/image_uri").asText());
  }

  @Test
  void driftInAnotherFieldIsStillCorrected() {
    world.sim.langsmith().storeAs(StoredForm.MIRRORED);
    AgentDeployment agd = Resources.dockerAgent("mirror-url", SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1");
    LangSmithSourceConfig sc = new LangSmithSourceConfig();
    sc.setCustomUrl("https://agent.example.com");
    agd.getSpec().getLangsmith().setSourceConfig(sc);
    world.apply(agd);
    String id = world.env.awaitAgent("mirror-url", Duration.ofSeconds(30),
        reason(Conditions.SYNCED, "DriftUnresolvable")).getStatus().getDeploymentId();
    assertEquals(1, world.count("mirror-url", id, SimOperation.PATCH_DEPLOYMENT));
    world.sim.langsmith().editOutOfBand(id, s -> s.put("custom_url", "https://changed.example.com"), rc -> { },
        false);
    await().atMost(Duration.ofSeconds(30)).until(() -> world.env.eventCount("mirror-url", "DriftCorrected") == 2);
    assertEquals("https://agent.example.com",
        world.remote("mirror-url").get(0).at("/source_config/custom_url").asText(), "the other field was corrected");
    AgentDeployment again = world.env.awaitAgent("mirror-url", Duration.ofSeconds(30),
        a -> reason(Conditions.SYNCED, "DriftUnresolvable").test(a)
            && DriftGuardRecord.UNRESOLVABLE.equals(a.getStatus().getDriftGuard().getState()));
    assertEquals(List.of("source_revision_config.image_uri"), again.getStatus().getDriftGuard().getFields());
    awaitPasses(id, 3);
    assertEquals(2, world.count("mirror-url", id, SimOperation.PATCH_DEPLOYMENT));
  }

  /** Waits for the guard to trip again after a re-arm: a new DriftUnresolvable event, Synced says so. */
  private static void awaitTrippedAgain(String name, long events) {
    await().atMost(Duration.ofSeconds(30)).until(() -> world.env.eventCount(name, "DriftUnresolvable") == events
        && reason(Conditions.SYNCED, "DriftUnresolvable").test(world.env.get(name)));
  }

  /**
   * Waits until the operator has read the deployment {@code passes} more times (by itself, or in
   * its account's batched list: a resync pass then answers from that list).
   */
  private static void awaitPasses(String id, int passes) {
    long before = reads(id);
    await().atMost(Duration.ofSeconds(30)).until(() -> reads(id) >= before + passes);
  }

  private static long reads(String id) {
    return world.sim.requests().matching(r -> (r.operation() == SimOperation.GET_DEPLOYMENT && r.path().contains(id))
        || (r.operation() == SimOperation.LIST_DEPLOYMENTS && r.query() != null && r.query().contains(id))).size();
  }
}

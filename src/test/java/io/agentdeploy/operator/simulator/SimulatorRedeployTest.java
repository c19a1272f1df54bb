package io.agentdeploy.operator.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.simulator.SimClient.Answer;
import io.agentdeploy.operator.simulator.SimulatorConfig.PatchDuringRollout;
import io.agentdeploy.operator.simulator.SimulatorConfig.RedeployMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v2/deployments/{id}/revisions/{rid}/redeploy} in both redeploy modes, on a clock the
 * test moves by hand (so "one step later" is exact); after every test the whole request log is
 * validated against the OpenAPI description.
 */
class SimulatorRedeployTest {
  private static final Duration STEP = Duration.ofSeconds(10);
  /** Longer than any rollout (github: 7 statuses). */
  private static final Duration ROLLOUT = STEP.multipliedBy(10);

  private final ManualClock clock = new ManualClock();
  private Simulator sim;
  private SimClient client;
  private boolean sendsInvalidInput;

  /** A clock that moves only when told. */
  static final class ManualClock extends Clock {
    private volatile Instant now = Instant.parse("2025-06-01T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private void start(RedeployMode mode, PatchDuringRollout patchMode) {
    sim = Simulator.start(SimulatorConfig.defaults().withTimings(STEP, Duration.ZERO, STEP)
        .withPatchDuringRollout(patchMode).withRedeployMode(mode).withClock(clock)
        .withFailureRules(List.of(FailureRule.image(":broken$", "DEPLOY_FAILED"))));
    client = new SimClient(sim.baseUrl());
  }

  private void start(RedeployMode mode) {
    start(mode, PatchDuringRollout.QUEUE);
  }

  @AfterEach
  void contract() {
    if (sim == null) {
      return;
    }
    try {
      OpenApiContract.assertConforms(sim.requests().all(), sendsInvalidInput);
    } finally {
      sim.close();
    }
  }

  private JsonNode create(String body) throws Exception {
    Answer a = client.call("POST", "/v2/deployments", body);
    assertEquals(201, a.status(), String.valueOf(a.body()));
    return a.body();
  }

  private JsonNode get(String id) throws Exception {
    Answer a = client.call("GET", "/v2/deployments/" + id, null);
    assertEquals(200, a.status(), String.valueOf(a.body()));
    return a.body();
  }

  private String revisionStatus(String id, String rid) throws Exception {
    Answer a = client.call("GET", "/v2/deployments/" + id + "/revisions/" + rid, null);
    assertEquals(200, a.status(), String.valueOf(a.body()));
    return a.body().path("status").asText();
  }

  private List<String> revisionIds(String id) throws Exception {
    List<String> out = new ArrayList<>();
    client.call("GET", "/v2/deployments/" + id + "/revisions", null).body().path("resources")
        .forEach(r -> out.add(r.path("id").asText()));
    return out;
  }

  private Answer redeploy(String id, String rid) throws Exception {
    return client.call("POST", "/v2/deployments/" + id + "/revisions/" + rid + "/redeploy", null);
  }

  /**
   * A docker deployment with two deployed revisions: img:1 (first), then img:2 with new secrets
   * and resource_spec (second, active). Returns {id, first, second}.
   */
  private String[] twoDeployedRevisions(String name) throws Exception {
    JsonNode d = create(SimClient.dockerBody(name, "registry.example.com/a:1"));
    String id = d.path("id").asText();
    String first = d.path("latest_revision_id").asText();
    clock.advance(ROLLOUT);
    Answer patched = client.call("PATCH", "/v2/deployments/" + id, """
        {"source_revision_config":{"image_uri":"registry.example.com/a:2"},
         "source_config":{"resource_spec":{"cpu":2,"memory_mb":4096}},
         "secrets":[{"name":"TOKEN","value":"rotated"}]}""");
    assertEquals(200, patched.status(), String.valueOf(patched.body()));
    String second = patched.body().path("latest_revision_id").asText();
    clock.advance(ROLLOUT);
    JsonNode now = get(id);
    assertEquals(second, now.path("active_revision_id").asText());
    assertEquals("DEPLOYED", revisionStatus(id, first));
    return new String[] {id, first, second};
  }

  /** Deployment-level fields are not restored by a redeploy. */
  private static void assertDeploymentFieldsKept(JsonNode d) {
    assertEquals(2, d.path("source_config").path("resource_spec").path("cpu").asInt(), d.toString());
    assertEquals(4096, d.path("source_config").path("resource_spec").path("memory_mb").asInt(), d.toString());
    assertEquals("rotated", d.path("secrets").get(0).path("value").asText(), d.toString());
  }

  @Test
  void cloneRollsOutANewRevisionWithTheTargetsConfigSkippingTheBuild() throws Exception {
    start(RedeployMode.CLONE);
    String[] ids = twoDeployedRevisions("agent-clone");
    String id = ids[0];

    Answer a = redeploy(id, ids[1]);
    assertEquals(200, a.status(), String.valueOf(a.body()));
    String clone = a.body().path("latest_revision_id").asText();
    assertNotEquals(ids[1], clone, "a new revision");
    assertNotEquals(ids[2], clone);
    assertEquals(ids[2], a.body().path("active_revision_id").asText(), "the old one serves until the clone is live");
    assertEquals("registry.example.com/a:1", a.body().path("source_revision_config").path("image_uri").asText());
    assertDeploymentFieldsKept(a.body());
    assertEquals(List.of(clone, ids[2], ids[1]), revisionIds(id), "the list shows the redeploy as a new entry");

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      seen.add(revisionStatus(id, clone));
      if (i < 2) {
        assertEquals(ids[2], get(id).path("active_revision_id").asText(), "not live yet at " + seen);
      }
      clock.advance(STEP);
    }
    assertEquals(List.of("AWAITING_DEPLOY", "DEPLOYING", "DEPLOYED", "DEPLOYED"), seen);
    JsonNode after = get(id);
    assertEquals(clone, after.path("active_revision_id").asText());
    assertEquals(clone, after.path("latest_revision_id").asText());
    assertEquals("registry.example.com/a:1", after.path("source_revision_config").path("image_uri").asText());
    assertDeploymentFieldsKept(after);
    assertEquals("DEPLOYED", revisionStatus(id, ids[1]), "the target itself is untouched");
  }

  @Test
  void cloneOfAGithubRevisionIsNotBuiltAndFailureRulesDoNotApply() throws Exception {
    start(RedeployMode.CLONE);
    JsonNode g = create(SimClient.githubBody("agent-gh", "main"));
    String gid = g.path("id").asText();
    String grid = g.path("latest_revision_id").asText();
    clock.advance(ROLLOUT);
    String clone = redeploy(gid, grid).body().path("latest_revision_id").asText();
    assertEquals("AWAITING_DEPLOY", revisionStatus(gid, clone));
    clock.advance(STEP.multipliedBy(2));
    assertEquals(clone, get(gid).path("active_revision_id").asText());

    // A deployed revision whose config now matches a failure rule: nothing is built, so it deploys.
    String id = create(SimClient.dockerBody("agent-rule", "registry.example.com/a:1")).path("id").asText();
    clock.advance(ROLLOUT);
    String rid = get(id).path("latest_revision_id").asText();
    sim.langsmith().editOutOfBand(id, sc -> { }, rc -> rc.put("image_uri", "registry.example.com/a:broken"), false);
    String cloned = redeploy(id, rid).body().path("latest_revision_id").asText();
    clock.advance(ROLLOUT);
    assertEquals("DEPLOYED", revisionStatus(id, cloned));
    assertEquals(cloned, get(id).path("active_revision_id").asText());
  }

  @Test
  void reuseMakesTheTargetLatestAgainAndActiveOneStepLater() throws Exception {
    start(RedeployMode.REUSE);
    String[] ids = twoDeployedRevisions("agent-reuse");
    String id = ids[0];

    Answer a = redeploy(id, ids[1]);
    assertEquals(200, a.status(), String.valueOf(a.body()));
    assertEquals(ids[1], a.body().path("latest_revision_id").asText(), "the target itself");
    assertEquals(ids[2], a.body().path("active_revision_id").asText());
    assertEquals("registry.example.com/a:1", a.body().path("source_revision_config").path("image_uri").asText());
    assertDeploymentFieldsKept(a.body());
    assertEquals(List.of(ids[2], ids[1]), revisionIds(id), "no new revision");

    // The revision reads DEPLOYED throughout, yet it is not live until one step has passed.
    assertEquals("DEPLOYED", revisionStatus(id, ids[1]));
    clock.advance(STEP.minusMillis(1));
    assertEquals("DEPLOYED", revisionStatus(id, ids[1]));
    assertEquals(ids[2], get(id).path("active_revision_id").asText());
    assertEquals(400, redeploy(id, ids[2]).status(), "the reactivation is a rollout in progress");
    clock.advance(Duration.ofMillis(1));
    JsonNode after = get(id);
    assertEquals(ids[1], after.path("active_revision_id").asText());
    assertEquals(ids[1], after.path("latest_revision_id").asText());
    assertEquals("registry.example.com/a:1", after.path("source_revision_config").path("image_uri").asText());
    assertDeploymentFieldsKept(after);

    // Forward again to the second one, then a PATCH rolls out as usual after a reuse.
    assertEquals(200, redeploy(id, ids[2]).status());
    clock.advance(STEP);
    assertEquals(ids[2], get(id).path("active_revision_id").asText());
    Answer patched = client.call("PATCH", "/v2/deployments/" + id,
        "{\"source_revision_config\":{\"image_uri\":\"registry.example.com/a:3\"}}");
    String third = patched.body().path("latest_revision_id").asText();
    assertEquals(ids[2], patched.body().path("active_revision_id").asText());
    clock.advance(ROLLOUT);
    assertEquals(third, get(id).path("active_revision_id").asText());
  }

  @Test
  void unknownDeploymentUnknownOrRemovedRevisionAnswer404() throws Exception {
    start(RedeployMode.CLONE);
    String[] ids = twoDeployedRevisions("agent-404");
    String id = ids[0];
    String unknown = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    Answer noDeployment = redeploy(unknown, ids[1]);
    assertEquals(404, noDeployment.status());
    assertEquals("Deployment ID " + unknown + " not found.", noDeployment.body().path("detail").asText());
    Answer noRevision = redeploy(id, unknown);
    assertEquals(404, noRevision.status());
    assertEquals("Revision ID " + unknown + " not found.", noRevision.body().path("detail").asText());

    String other = create(SimClient.dockerBody("agent-other", "registry.example.com/b:1")).path("id").asText();
    assertEquals(404, redeploy(other, ids[1]).status(), "a revision of another deployment");

    sim.langsmith().removeRevision(id, ids[1]);
    Answer removed = redeploy(id, ids[1]);
    assertEquals(404, removed.status());
    assertEquals("Revision ID " + ids[1] + " not found.", removed.body().path("detail").asText());
    assertEquals(404, client.call("GET", "/v2/deployments/" + id + "/revisions/" + ids[1], null).status());
    assertEquals(List.of(ids[2]), revisionIds(id));
    assertEquals(ids[2], get(id).path("active_revision_id").asText());
    assertThrows(IllegalArgumentException.class, () -> sim.langsmith().removeRevision(id, ids[1]));
    assertThrows(IllegalArgumentException.class, () -> sim.langsmith().removeRevision(unknown, ids[2]));
    assertEquals(0, sim.requests().matching(r -> r.status() == 200
        && r.operation() == SimOperation.REDEPLOY_REVISION).size());
  }

  @Test
  void malformedIdsAnswer422LikeTheOtherEndpoints() throws Exception {
    start(RedeployMode.CLONE);
    sendsInvalidInput = true;
    String id = create(SimClient.dockerBody("agent-422", "registry.example.com/a:1")).path("id").asText();
    Answer badRevision = redeploy(id, "not-a-uuid");
    assertEquals(422, badRevision.status());
    assertEquals("uuid_parsing", badRevision.body().path("detail").get(0).path("type").asText());
    assertEquals(422, redeploy("not-a-uuid", "also-not").status());
  }

  @Test
  void aRevisionThatNeverDeployedIsRefusedWith400() throws Exception {
    start(RedeployMode.CLONE);
    JsonNode d = create(SimClient.dockerBody("agent-broken", "registry.example.com/a:broken"));
    String id = d.path("id").asText();
    String failed = d.path("latest_revision_id").asText();
    clock.advance(ROLLOUT);
    assertEquals("DEPLOY_FAILED", revisionStatus(id, failed));
    Answer a = redeploy(id, failed);
    assertEquals(400, a.status());
    assertTrue(a.body().path("detail").asText().contains("never reached DEPLOYED"), a.body().toString());
    assertEquals(List.of(failed), revisionIds(id), "nothing rolled out");
    assertTrue(get(id).path("active_revision_id").isNull());
  }

  @Test
  void aRedeployDuringARolloutIsRefusedWith400InBothPatchModes() throws Exception {
    for (PatchDuringRollout patchMode : PatchDuringRollout.values()) {
      for (RedeployMode mode : RedeployMode.values()) {
        if (sim != null) {
          contract();
        }
        start(mode, patchMode);
        String[] ids = twoDeployedRevisions("agent-busy");
        String id = ids[0];
        Answer patched = client.call("PATCH", "/v2/deployments/" + id,
            "{\"source_revision_config\":{\"image_uri\":\"registry.example.com/a:3\"}}");
        String third = patched.body().path("latest_revision_id").asText();
        Answer a = redeploy(id, ids[1]);
        assertEquals(400, a.status(), patchMode + "/" + mode);
        assertTrue(a.body().path("detail").asText().contains("in progress"), a.body().toString());
        assertEquals(400, redeploy(id, third).status(), "the revision in progress itself");
        assertEquals(third, get(id).path("latest_revision_id").asText(), "nothing changed");
        clock.advance(ROLLOUT);
        assertEquals(200, redeploy(id, ids[1]).status(), "accepted once the rollout ended");
      }
    }
  }

  @Test
  void theRequestLogNamesTheRedeployAsAWriteAlsoUnderTheApiHostPrefix() throws Exception {
    start(RedeployMode.CLONE);
    String[] ids = twoDeployedRevisions("agent-log");
    Answer a = client.call("POST", "/api-host/v2/deployments/" + ids[0] + "/revisions/" + ids[1] + "/redeploy", null);
    assertEquals(200, a.status(), String.valueOf(a.body()));
    assertEquals(1, sim.requests().count(SimOperation.REDEPLOY_REVISION));
    RecordedRequest r = sim.requests().matching(x -> x.operation() == SimOperation.REDEPLOY_REVISION).get(0);
    assertEquals("POST", r.method());
    assertEquals("/v2/deployments/" + ids[0] + "/revisions/" + ids[1] + "/redeploy", r.path());
    assertTrue(SimOperation.REDEPLOY_REVISION.isWrite());
    assertTrue(ChaosPlan.WRITES.contains(SimOperation.REDEPLOY_REVISION));
    assertEquals(SimOperation.UNKNOWN, LangSmithApi.operation("GET",
        "/v2/deployments/" + ids[0] + "/revisions/" + ids[1] + "/redeploy"));
    assertFalse(SimOperation.GET_REVISION.isWrite());
  }

  @Test
  void configDefaultsToCloneAndTheCommandTakesLowerCaseModes() {
    assertEquals(RedeployMode.CLONE, SimulatorConfig.defaults().redeployMode());
    assertEquals(RedeployMode.REUSE, SimulatorConfig.defaults().withRedeployMode(RedeployMode.REUSE).redeployMode());
    SimulatorCommand cmd = new SimulatorCommand();
    new picocli.CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--redeploy-mode", "reuse");
    assertEquals(RedeployMode.REUSE, cmd.config().redeployMode());
    SimulatorCommand fallback = new SimulatorCommand();
    new picocli.CommandLine(fallback).parseArgs();
    assertEquals(RedeployMode.CLONE, fallback.config().redeployMode());
  }
}

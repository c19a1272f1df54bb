package io.agentdeploy.operator.remote.agentex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentexImage;
import io.agentdeploy.operator.api.AgentexPreview;
import io.agentdeploy.operator.api.AgentexSpec;
import io.agentdeploy.operator.remote.RolloutPhase;
import io.agentdeploy.operator.remote.StateHasher;
import io.agentdeploy.operator.remote.TestHashers;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentexMappingTest {
  private static final StateHasher KEY = TestHashers.ZERO;

  @Test
  void statusesAreReadCaseInsensitivelyAndUnknownOnesAsInProgressUntilTheDeadline() {
    assertEquals(RolloutPhase.SUCCEEDED, AgentexClient.phaseOf("completed"));
    assertEquals(RolloutPhase.IN_PROGRESS, AgentexClient.phaseOf("Running"));
    assertEquals(RolloutPhase.IN_PROGRESS, AgentexClient.phaseOf("PENDING"));
    assertEquals(RolloutPhase.FAILED, AgentexClient.phaseOf("failed"));
    assertEquals(RolloutPhase.FAILED, AgentexClient.phaseOf("CANCELLED"));
    assertEquals(RolloutPhase.UNKNOWN, AgentexClient.phaseOf("ROLLING_BACK"));
  }

  @Test
  void requestBodyAndHashFollowTheSpec() {
    AgentexSpec spec = new AgentexSpec();
    spec.setName("helper");
    spec.setImage(new AgentexImage("registry.example.com/helper", "1"));
    AgentexDesired production = AgentexMapper.toDesired(spec, "agent:\n  name: helper\n", "env: prod\n", KEY);
    var body = AgentexMapper.createBody(production, null);
    assertEquals("1", body.path("image_tag").asText());
    assertFalse(body.has("preview"), "production deploys send no preview fields (the API refuses them)");
    assertFalse(body.has("build_id"));

    AgentexPreview preview = new AgentexPreview();
    preview.setLabel("pr-7");
    spec.setPreview(preview);
    AgentexDesired asPreview = AgentexMapper.toDesired(spec, "agent:\n  name: helper\n", "env: prod\n", KEY);
    assertTrue(AgentexMapper.createBody(asPreview, null).path("preview").asBoolean());
    assertEquals("pr-7", AgentexMapper.createBody(asPreview, null).path("preview_label").asText());
    assertNotEquals(production.hash(), asPreview.hash());
    assertNotEquals(production.hash(),
        AgentexMapper.toDesired(spec, "agent:\n  name: helper\n", "env: dev\n", KEY).hash(),
        "the environment text is part of the desired state");
    assertEquals(Optional.of("helper"), AgentexMapper.agentName("agent:\n  name: helper\n"));
    assertEquals(Optional.empty(), AgentexMapper.agentName("just text: ["));
  }

  @Test
  void theNonceIsACommentOutsideTheHash() {
    AgentexSpec spec = new AgentexSpec();
    spec.setName("helper");
    spec.setImage(new AgentexImage("registry.example.com/helper", "1"));
    AgentexDesired d = AgentexMapper.toDesired(spec, "agent:\n  name: helper\n", "env: prod", KEY);
    String sent = AgentexMapper.createBody(d, "n0nce123").path("environment_config").asText();
    assertEquals("env: prod\n# agentdeploy.io/intent: n0nce123\n", sent);
    assertEquals("n0nce123", AgentexMapper.nonceOf(sent));
    assertEquals(null, AgentexMapper.nonceOf("env: prod\n# another comment\n"));
    assertEquals("b", AgentexMapper.nonceOf("# agentdeploy.io/intent: a\nx: 1\n# agentdeploy.io/intent: b\n"),
        "the last intent line counts");
    assertEquals(d.hash(), AgentexMapper.toDesired(spec, "agent:\n  name: helper\n", "env: prod", KEY).hash());
  }

  @Test
  void theKeyedHashIsMadeFromTheBytesOlderVersionsHashedPlainly() {
    AgentexSpec spec = new AgentexSpec();
    spec.setName("helper");
    spec.setImage(new AgentexImage("registry.example.com/helper", "1"));
    AgentexDesired d = AgentexMapper.toDesired(spec, "agent:\n  name: helper\n", "env: prod\n", KEY);
    // What the operator wrote before the keyed hash, for this very spec (migration verifies against it).
    assertEquals("sha256:78ceead595d33094e81a7606d0327fe5efbccf95cdcb3205ef516072c18719c2",
        StateHasher.legacyHash(d.canonicalState()));
    assertTrue(d.hash().startsWith("hmac-sha256:"));
    assertNotEquals(d.hash(), AgentexMapper.toDesired(spec, "agent:\n  name: helper\n", "env: prod\n",
        TestHashers.ONES).hash(), "another key, another hash");
  }
}

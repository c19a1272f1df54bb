package io.agentdeploy.operator.remote.agentex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentexImage;
import io.agentdeploy.operator.api.AgentexPreview;
import io.agentdeploy.operator.api.AgentexSpec;
import io.agentdeploy.operator.remote.RolloutPhase;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentexMappingTest {
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
    AgentexDesired production = AgentexMapper.toDesired(spec, "agent:\n  name: helper\n", "env: prod\n");
    var body = AgentexMapper.createBody(production);
    assertEquals("1", body.path("image_tag").asText());
    assertFalse(body.has("preview"), "production deploys send no preview fields (the API refuses them)");
    assertFalse(body.has("build_id"));

    AgentexPreview preview = new AgentexPreview();
    preview.setLabel("pr-7");
    spec.setPreview(preview);
    AgentexDesired asPreview = AgentexMapper.toDesired(spec, "agent:\n  name: helper\n", "env: prod\n");
    assertTrue(AgentexMapper.createBody(asPreview).path("preview").asBoolean());
    assertEquals("pr-7", AgentexMapper.createBody(asPreview).path("preview_label").asText());
    assertNotEquals(production.hash(), asPreview.hash());
    assertNotEquals(production.hash(), AgentexMapper.toDesired(spec, "agent:\n  name: helper\n", "env: dev\n").hash(),
        "the environment text is part of the desired state");
    assertEquals(Optional.of("helper"), AgentexMapper.agentName("agent:\n  name: helper\n"));
    assertEquals(Optional.empty(), AgentexMapper.agentName("just text: ["));
  }
}

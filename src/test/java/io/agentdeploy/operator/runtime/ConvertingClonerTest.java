package io.agentdeploy.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.HistoryEntry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The copy JOSDK hands the reconciler: the same content as JOSDK's own copy, nothing shared with the cache's object. */
class ConvertingClonerTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final ConvertingCloner cloner = new ConvertingCloner(serialization);

  @Test
  void anAgentDeploymentWithStatusCopiesAsTheTextRoundTripDoes() throws Exception {
    AgentDeployment original = readyResource();

    AgentDeployment copy = cloner.clone(original);

    assertNotSame(original, copy);
    assertInstanceOf(AgentDeployment.class, copy);
    assertEquals(serialization.asJson(serialization.clone(original)), serialization.asJson(copy));
    assertEquals(original.getApiVersion(), copy.getApiVersion());
    assertEquals("AgentDeployment", copy.getKind());
  }

  @Test
  void changingTheCopyLeavesTheOriginalAlone() throws Exception {
    AgentDeployment original = readyResource();
    String before = serialization.asJson(original);

    AgentDeployment copy = cloner.clone(original);
    copy.getMetadata().getAnnotations().put("changed", "yes");
    copy.getMetadata().getFinalizers().clear();
    copy.getStatus().getConditions().get(0).setStatus("False");
    copy.getStatus().getHistory().add(new HistoryEntry("r2", "h2", "FAILED", "2026-11-30T22:05:00Z", false));
    copy.getStatus().setPhase("Failed");
    copy.getSpec().getLangsmith().setName("other");

    assertEquals(before, serialization.asJson(original));
  }

  @Test
  void unknownFieldsOfAGenericResourceSurviveTheCopy() {
    GenericKubernetesResource original = serialization.unmarshal("""
        {"apiVersion": "example.io/v1", "kind": "Thing", "metadata": {"name": "t", "namespace": "ns"},
         "spec": {"replicas": 3, "nested": {"list": [1, "two", {"three": 3.5}]}}}""", GenericKubernetesResource.class);

    GenericKubernetesResource copy = cloner.clone(original);

    assertNotSame(original, copy);
    assertEquals(serialization.asJson(original), serialization.asJson(copy));
    assertNotSame(original.getAdditionalProperties().get("spec"), copy.getAdditionalProperties().get("spec"));
  }

  private AgentDeployment readyResource() throws Exception {
    AgentDeployment resource = (AgentDeployment) Manifests.parse(Files.readString(Path.of("examples/langsmith-docker.yaml")))
        .stream().filter(AgentDeployment.class::isInstance).findFirst().orElseThrow();
    resource.getMetadata().setUid("0b9c2a7e-1111-2222-3333-444455556666");
    resource.getMetadata().setResourceVersion("12345");
    resource.getMetadata().setFinalizers(new ArrayList<>(List.of("agentdeploy.io/finalizer")));
    Map<String, String> annotations = new HashMap<>();
    annotations.put("agentdeploy.io/write-ahead", "{\"operation\":\"create\"}");
    resource.getMetadata().setAnnotations(annotations);
    AgentDeploymentStatus status = new AgentDeploymentStatus();
    status.setPhase("Ready");
    status.setDeploymentId("a1b2c3d4-aaaa-bbbb-cccc-ddddeeeeffff");
    status.setObservedGeneration(3L);
    status.getConditions().add(new Condition("Ready", "True", "Deployed", "Revision r1 is live",
        "2026-11-30T22:00:00Z", 3L));
    status.setHistory(new ArrayList<>(List.of(new HistoryEntry("r1", "h1", "DEPLOYED", "2026-11-30T22:00:00Z", true))));
    resource.setStatus(status);
    return resource;
  }
}

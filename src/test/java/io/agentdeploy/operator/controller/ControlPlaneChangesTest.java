package io.agentdeploy.operator.controller;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.agentdeploy.operator.api.EffectiveRateLimit;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Which ControlPlane updates reach the AgentDeployments that use it. */
class ControlPlaneChangesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ControlPlane readyControlPlane() {
    ControlPlane cp = new ControlPlane();
    cp.setMetadata(new ObjectMetaBuilder().withName("cp").withNamespace("agents").withGeneration(1L).build());
    ControlPlaneStatus status = new ControlPlaneStatus();
    status.setObservedGeneration(1L);
    status.setConditions(Conditions.with(Conditions.with(List.of(), Conditions.READY, true, "Connected", "ok", 1L, T0),
        "Reachable", true, "Reachable", "answered", 1L, T0));
    cp.setStatus(status);
    return cp;
  }

  private static boolean reaches(Consumer<ControlPlane> change) {
    ControlPlane before = readyControlPlane();
    ControlPlane now = readyControlPlane();
    change.accept(now);
    return ControlPlaneChanges.reachUsers(now, before);
  }

  @Test
  void transientTroubleTheSharedLimitAndTextDoNotReachTheUsers() {
    assertFalse(reaches(cp -> { }));
    assertFalse(reaches(cp -> cp.getStatus().setConditions(Conditions.with(cp.getStatus().getConditions(),
        "Reachable", false, "Unreachable", "no answer", 1L, T0.plusSeconds(5)))));
    assertFalse(reaches(cp -> cp.getStatus().setConditions(Conditions.with(cp.getStatus().getConditions(),
        Conditions.READY, true, "Connected", "another text", 1L, T0.plusSeconds(5)))));
    assertFalse(reaches(cp -> cp.getStatus().setRateLimit(new EffectiveRateLimit(2.0, 2, "agents/slow"))));
    assertFalse(reaches(cp -> cp.getMetadata().setResourceVersion("42")));
  }

  @Test
  void aSpecEditItsObservationAReadyTransitionAnAnnotationOrADeletionDo() {
    assertTrue(reaches(cp -> cp.getMetadata().setGeneration(2L)));
    assertTrue(reaches(cp -> cp.getStatus().setObservedGeneration(2L)));
    assertTrue(reaches(cp -> cp.getStatus().setConditions(Conditions.with(cp.getStatus().getConditions(),
        Conditions.READY, false, "Unauthorized", "refused", 1L, T0))));
    assertTrue(reaches(cp -> cp.getMetadata().setAnnotations(Map.of(Annotations.ACCEPT_ACCOUNT, "x"))));
    assertTrue(reaches(cp -> cp.getMetadata().setDeletionTimestamp(T0.toString())));
  }
}

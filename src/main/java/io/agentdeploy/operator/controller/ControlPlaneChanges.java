package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Objects;
import java.util.Optional;

/**
 * Which updates of a ControlPlane or ClusterControlPlane reach the AgentDeployments that use it:
 * what they read from it. A spec edit (generation), its observation (observedGeneration: the
 * gate compares it), a Ready transition (status or reason), an annotation (accept-account) and
 * the start of its deletion. Not the Reachable condition, Ready's message, the shared rate limit
 * or timestamps: a network blip or a limit change on a ControlPlane with thousands of users must
 * not reconcile (and rewrite) every one of them.
 */
final class ControlPlaneChanges {
  private ControlPlaneChanges() {}

  static <R extends CustomResource<?, ControlPlaneStatus>> boolean reachUsers(R now, R before) {
    var a = now.getMetadata();
    var b = before.getMetadata();
    return !Objects.equals(a.getGeneration(), b.getGeneration())
        || !Objects.equals(observedGeneration(now), observedGeneration(before))
        || !Objects.equals(readiness(now), readiness(before))
        || !Objects.equals(a.getAnnotations(), b.getAnnotations())
        || !Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp());
  }

  private static Long observedGeneration(CustomResource<?, ControlPlaneStatus> cp) {
    return cp.getStatus() == null ? null : cp.getStatus().getObservedGeneration();
  }

  /** Ready's status and reason (its message and times are left out on purpose). */
  private static Optional<String> readiness(CustomResource<?, ControlPlaneStatus> cp) {
    return Conditions.find(cp.getStatus() == null ? null : cp.getStatus().getConditions(), Conditions.READY)
        .map(c -> c.getStatus() + "/" + c.getReason() + "/" + c.getObservedGeneration());
  }
}

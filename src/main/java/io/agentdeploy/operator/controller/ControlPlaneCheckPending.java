package io.agentdeploy.operator.controller;

/**
 * The control plane was Ready and its spec changed since: its new generation is being checked.
 * An AgentDeployment that uses it waits without a word: writing ControlPlaneNotReady now and
 * Ready again a moment later would cost two status writes per resource for every edit (a rate
 * limit, a typo fix). The check's verdict reaches every user through the ControlPlane watch.
 */
final class ControlPlaneCheckPending extends RuntimeException {
  ControlPlaneCheckPending(String display) {
    super(display + " changed and is being checked", null, false, false);
  }

  /** Ready for an earlier generation, and no verdict yet for the current one. */
  static boolean of(io.agentdeploy.operator.api.ControlPlaneStatus status,
      io.fabric8.kubernetes.api.model.HasMetadata object) {
    return status != null && Conditions.isTrue(status.getConditions(), Conditions.READY)
        && status.getObservedGeneration() != null && object.getMetadata().getGeneration() != null
        && status.getObservedGeneration() < object.getMetadata().getGeneration();
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlaneKind;

/** Which AgentDeployments use which control plane, for the finalizers that wait on them. */
final class ControlPlaneUsers {
  private ControlPlaneUsers() {}

  /** @param name the control plane's name, or null for any of that kind */
  static boolean refersTo(AgentDeployment resource, ControlPlaneKind kind, String name) {
    if (resource.getSpec() == null || resource.getSpec().getControlPlaneRef() == null) {
      return false;
    }
    var ref = resource.getSpec().getControlPlaneRef();
    return ref.kindOrDefault() == kind && (name == null || name.equals(ref.getName()));
  }

  /** True when both name the same control plane (a ControlPlane only within one namespace). */
  static boolean sameControlPlane(AgentDeployment a, AgentDeployment b) {
    if (a.getSpec() == null || a.getSpec().getControlPlaneRef() == null) {
      return false;
    }
    var ref = a.getSpec().getControlPlaneRef();
    return refersTo(b, ref.kindOrDefault(), ref.getName()) && (ref.kindOrDefault() == ControlPlaneKind.ClusterControlPlane
        || java.util.Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace()));
  }
}

package io.agentdeploy.operator.api;

/** Which kind of control plane an AgentDeployment refers to. */
public enum ControlPlaneKind {
  /** A ControlPlane in the AgentDeployment's own namespace (the default when kind is absent). */
  ControlPlane,
  /** A cluster-scoped ClusterControlPlane that allows the AgentDeployment's namespace. */
  ClusterControlPlane
}

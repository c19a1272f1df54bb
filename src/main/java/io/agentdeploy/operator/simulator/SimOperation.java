package io.agentdeploy.operator.simulator;

/** Every operation the simulator serves, as recorded in its request log. */
public enum SimOperation {
  LIST_DEPLOYMENTS,
  CREATE_DEPLOYMENT,
  GET_DEPLOYMENT,
  PATCH_DEPLOYMENT,
  DELETE_DEPLOYMENT,
  DELETE_DEPLOYMENTS,
  LIST_REVISIONS,
  GET_REVISION,
  /** {@code POST /v2/deployments/{id}/revisions/{rid}/redeploy}. */
  REDEPLOY_REVISION,
  AGENTEX_CREATE,
  AGENTEX_GET,
  AGENTEX_LIST,
  AGENTEX_DELETE,
  AGENTEX_LOGS,
  /** A path the simulator does not serve (answered 404). */
  UNKNOWN;

  /** True for calls that change remote state. */
  public boolean isWrite() {
    return this == CREATE_DEPLOYMENT || this == PATCH_DEPLOYMENT || this == DELETE_DEPLOYMENT
        || this == DELETE_DEPLOYMENTS || this == REDEPLOY_REVISION || this == AGENTEX_CREATE || this == AGENTEX_DELETE;
  }
}

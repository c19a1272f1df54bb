package io.agentdeploy.operator.controller;

/**
 * The Secret caches an AgentDeployment's references are read through.
 *
 * @param namespaced Secrets of the watched namespaces (env values, ControlPlane keys)
 * @param operatorSecrets Secrets of the operator's namespace (ClusterControlPlane keys), or null
 *     when ClusterControlPlanes are not enabled
 * @param operatorNamespace where ClusterControlPlane keys live
 */
record ReferenceCaches(ReferencedSecretStore namespaced, ReferencedSecretStore operatorSecrets,
    String operatorNamespace) {

  boolean clusterControlPlanesEnabled() {
    return operatorSecrets != null;
  }
}

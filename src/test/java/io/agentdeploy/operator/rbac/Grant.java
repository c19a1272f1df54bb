package io.agentdeploy.operator.rbac;

/**
 * One permission a set of RBAC objects gives a subject, spelled out: one verb on one resource of
 * one group, where (a namespace, or {@link #EVERYWHERE} for a ClusterRoleBinding) and on which
 * object (a resourceName, or null for any).
 */
public record Grant(String verb, String group, String resource, String scope, String name) {
  public static final String EVERYWHERE = "*";

  /** Whether this permission lets the request through, as Kubernetes RBAC decides it. */
  public boolean allows(RequestAttributes request) {
    return verb.equals(request.verb()) && group.equals(request.group()) && resource.equals(request.resource())
        && (scope.equals(EVERYWHERE) || scope.equals(request.namespace()))
        && (name == null || name.equals(request.name()));
  }

  @Override
  public String toString() {
    return verb + " " + (group.isEmpty() ? "" : group + "/") + resource
        + (scope.equals(EVERYWHERE) ? " (cluster-wide)" : " in " + scope) + (name == null ? "" : " name " + name);
  }
}

package io.agentdeploy.operator.uninstall;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Helm pre-delete check, in order: refuse while AgentDeployments exist (uninstalling would
 * strand their remote deployments and leave them stuck on their finalizer); otherwise stop the
 * operator, look again (one may have been created meanwhile: then scale it back and refuse), and
 * remove the finalizers it set, so nothing it leaves behind blocks a namespace deletion.
 *
 * @param namespaces the watched namespaces; empty for all
 * @param operatorDeployment the operator's Deployment, if it runs in the cluster
 * @param clusterControlPlanes whether the operator served ClusterControlPlanes (their finalizers go too)
 */
public record PreUninstall(KubernetesClient client, Set<String> namespaces,
    Optional<OperatorDeployment> operatorDeployment, Duration stopTimeout, Clock clock,
    boolean clusterControlPlanes) {

  /** Where the operator runs. */
  public record OperatorDeployment(String namespace, String name) { }

  public Outcome run() throws InterruptedException {
    List<String> agents = AgentDeploymentCensus.list(client, namespaces);
    if (!agents.isEmpty()) {
      return new Outcome.Refused(agents);
    }
    Optional<OperatorScaleDown> scaleDown = operatorDeployment
        .map(d -> new OperatorScaleDown(client, d.namespace(), d.name(), clock));
    if (scaleDown.isPresent() && !scaleDown.get().stop(stopTimeout)) {
      scaleDown.get().restore();
      return new Outcome.NotStopped("the operator's pods were still running after " + stopTimeout.toSeconds() + "s");
    }
    agents = AgentDeploymentCensus.list(client, namespaces);
    if (!agents.isEmpty()) {
      scaleDown.ifPresent(OperatorScaleDown::restore);
      return new Outcome.Refused(agents);
    }
    return new Outcome.Cleaned(FinalizerRemoval.run(client, namespaces, clusterControlPlanes));
  }
}

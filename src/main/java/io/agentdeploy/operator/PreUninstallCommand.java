package io.agentdeploy.operator;

import io.agentdeploy.operator.config.DurationConverter;
import io.agentdeploy.operator.config.LogSetup;
import io.agentdeploy.operator.uninstall.Outcome;
import io.agentdeploy.operator.uninstall.PreUninstall;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code preuninstall}: what the chart's Helm pre-delete hook runs. Exit 0 when the uninstall may
 * go on (the operator is stopped and its finalizers removed), non-zero with the reason otherwise.
 */
@Command(name = "preuninstall", mixinStandardHelpOptions = true,
    description = "Refuse to uninstall while AgentDeployments exist; otherwise stop the operator and remove "
        + "its finalizers from ControlPlanes and their API-key Secrets.")
public class PreUninstallCommand implements Callable<Integer> {
  @Option(names = "--namespaces", defaultValue = "${env:AGENTDEPLOY_NAMESPACES:-}",
      description = "Comma-separated namespaces the operator watches; empty for all (env AGENTDEPLOY_NAMESPACES).")
  String namespaces;

  @Option(names = "--operator-deployment", defaultValue = "${env:AGENTDEPLOY_OPERATOR_DEPLOYMENT:-}",
      description = "The operator's Deployment, scaled to zero before finalizers are removed; empty when the "
          + "operator does not run in the cluster (env AGENTDEPLOY_OPERATOR_DEPLOYMENT).")
  String operatorDeployment;

  @Option(names = "--operator-namespace", defaultValue = "${env:AGENTDEPLOY_OPERATOR_NAMESPACE:-}",
      description = "Namespace of that Deployment; default the client's namespace (env AGENTDEPLOY_OPERATOR_NAMESPACE).")
  String operatorNamespace;

  @Option(names = "--cluster-control-planes", arity = "1",
      defaultValue = "${env:AGENTDEPLOY_CLUSTER_CONTROL_PLANES:-true}",
      description = "Whether the operator served ClusterControlPlanes; their finalizers are removed too "
          + "(env AGENTDEPLOY_CLUSTER_CONTROL_PLANES).")
  boolean clusterControlPlanes;

  @Option(names = "--stop-timeout", defaultValue = "${env:AGENTDEPLOY_STOP_TIMEOUT:-120s}",
      converter = DurationConverter.class,
      description = "How long to wait for the operator's pods to stop (env AGENTDEPLOY_STOP_TIMEOUT).")
  Duration stopTimeout;

  private final Supplier<KubernetesClient> clients;
  private final PrintStream out;
  private final boolean ownProcess;

  /** As the jar runs it: the standard kubeconfig resolution (in a pod, its ServiceAccount). */
  public PreUninstallCommand() {
    this(() -> new KubernetesClientBuilder().build(), System.out, true);
  }

  /** Inside another program (tests): its client, its output, its logging left alone. */
  public PreUninstallCommand(Supplier<KubernetesClient> clients, PrintStream out) {
    this(clients, out, false);
  }

  private PreUninstallCommand(Supplier<KubernetesClient> clients, PrintStream out, boolean ownProcess) {
    this.clients = clients;
    this.out = out;
    this.ownProcess = ownProcess;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (ownProcess) {
      // The Job's log is the report below, not the client's chatter.
      LogSetup.quiet();
    }
    Set<String> watched = Arrays.stream(namespaces.split(",")).map(String::strip).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
    try (KubernetesClient client = clients.get()) {
      Optional<PreUninstall.OperatorDeployment> deployment = operatorDeployment.isBlank() ? Optional.empty()
          : Optional.of(new PreUninstall.OperatorDeployment(
              operatorNamespace.isBlank() ? client.getNamespace() : operatorNamespace.strip(),
              operatorDeployment.strip()));
      Outcome outcome = new PreUninstall(client, watched, deployment, stopTimeout, Clock.systemUTC(),
          clusterControlPlanes).run();
      report(outcome);
      return outcome.exitCode();
    }
  }

  private void report(Outcome outcome) {
    if (outcome instanceof Outcome.Refused refused) {
      out.println("Uninstall refused: " + refused.agentDeployments().size() + " AgentDeployment(s) still exist; "
          + "without the operator their remote deployments would be left behind and they would hang on their "
          + "finalizer:");
      refused.agentDeployments().forEach(a -> out.println("  " + a));
      out.println("Either delete them and wait until they are gone (the operator deletes their remote deployments):");
      out.println("  kubectl delete agentdeployments --all -n <namespace>");
      out.println("or keep the remote deployments: set spec.deletionPolicy: Orphan, then delete them:");
      out.println("  kubectl patch agentdeployment <name> -n <namespace> --type=merge "
          + "-p '{\"spec\":{\"deletionPolicy\":\"Orphan\"}}'");
      out.println("Then run helm uninstall again (--no-hooks skips this check; see docs/install.md).");
    } else if (outcome instanceof Outcome.NotStopped notStopped) {
      out.println("Uninstall stopped: " + notStopped.why() + "; the operator was scaled back up and no finalizer "
          + "was removed. Run helm uninstall again.");
    } else if (outcome instanceof Outcome.Cleaned cleaned) {
      out.println("No AgentDeployments left and the operator is stopped; finalizers removed: "
          + (cleaned.released().isEmpty() ? "none" : cleaned.released().size()));
      cleaned.released().forEach(r -> out.println("  " + r));
    }
  }
}

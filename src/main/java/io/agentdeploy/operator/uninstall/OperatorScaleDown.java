package io.agentdeploy.operator.uninstall;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Stops the operator before its finalizers are removed: a running operator would put them back at
 * its next reconcile. Scales its Deployment to zero and waits until no pod of it is left (a pod
 * shutting down still finishes its reconciles). Needs get and patch on that one Deployment and
 * list on pods of its namespace.
 */
final class OperatorScaleDown {
  private static final Duration POLL = Duration.ofMillis(500);

  private final KubernetesClient client;
  private final String namespace;
  private final String deployment;
  private final Clock clock;
  private Integer previousReplicas;

  OperatorScaleDown(KubernetesClient client, String namespace, String deployment, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.deployment = deployment;
    this.clock = clock;
  }

  /** True once no operator pod runs (also when the Deployment does not exist); false on timeout. */
  boolean stop(Duration timeout) throws InterruptedException {
    Deployment current = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
    if (current == null) {
      return true;
    }
    previousReplicas = current.getSpec().getReplicas();
    setReplicas(current, 0);
    Map<String, String> selector = current.getSpec().getSelector().getMatchLabels();
    Instant deadline = clock.instant().plus(timeout);
    while (!operatorPods(selector).isEmpty()) {
      if (clock.instant().isAfter(deadline)) {
        return false;
      }
      Thread.sleep(POLL.toMillis());
    }
    return true;
  }

  /** Scales back to what it was, when {@link #stop} changed it. */
  void restore() {
    if (previousReplicas == null) {
      return;
    }
    Deployment current = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
    if (current != null) {
      setReplicas(current, previousReplicas);
    }
  }

  private List<Pod> operatorPods(Map<String, String> selector) {
    // Never this hook's own pod, should a user have given it the operator's labels.
    String self = System.getenv("HOSTNAME");
    return client.pods().inNamespace(namespace).withLabels(selector).list().getItems().stream()
        .filter(p -> !Objects.equals(self, p.getMetadata().getName())).toList();
  }

  private void setReplicas(Deployment current, int replicas) {
    client.resource(current).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"replicas\":" + replicas + "}}");
  }
}

package io.agentdeploy.operator.lifecycle;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.WriteAheadRecord;
import io.agentdeploy.operator.controller.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every version of one AgentDeployment a watch sees while open: what the operator wrote between
 * two looks of a poll (a write-ahead record, a passing condition) is kept.
 */
final class ResourceVersions implements AutoCloseable {
  private final List<AgentDeployment> seen = new CopyOnWriteArrayList<>();
  private final KubernetesClient client;
  private final Watch watch;

  ResourceVersions(KubernetesClient client, String name) {
    this.client = client;
    this.watch = client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName(name)
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, AgentDeployment resource) {
            seen.add(resource);
          }

          @Override
          public void onClose(WatcherException cause) {}
        });
  }

  /** The open write-ahead record of one version: status.writeAhead, else a first create's annotation. */
  static WriteAheadRecord record(KubernetesClient client, AgentDeployment a) {
    if (a == null) {
      return null;
    }
    if (a.getStatus() != null && a.getStatus().getWriteAhead() != null) {
      return a.getStatus().getWriteAhead();
    }
    String json = a.getMetadata().getAnnotations() == null ? null
        : a.getMetadata().getAnnotations().get("agentdeploy.io/write-ahead");
    boolean owns = a.getStatus() != null && (a.getStatus().getDeploymentId() != null
        || (a.getStatus().getHistory() != null && !a.getStatus().getHistory().isEmpty()));
    return json == null || owns ? null : client.getKubernetesSerialization().unmarshal(json, WriteAheadRecord.class);
  }

  /** Every distinct write-ahead record seen, in order. */
  List<WriteAheadRecord> records() {
    return seen.stream().map(a -> record(client, a)).filter(Objects::nonNull).distinct().toList();
  }

  /** Every Synced reason seen, in order (repeats collapsed). */
  List<String> syncedReasons() {
    List<String> reasons = new java.util.ArrayList<>();
    for (AgentDeployment a : seen) {
      String reason = OperatorHarness.condition(a, Conditions.SYNCED).map(c -> c.getReason()).orElse(null);
      if (reason != null && (reasons.isEmpty() || !reason.equals(reasons.get(reasons.size() - 1)))) {
        reasons.add(reason);
      }
    }
    return reasons;
  }

  @Override
  public void close() {
    watch.close();
  }
}

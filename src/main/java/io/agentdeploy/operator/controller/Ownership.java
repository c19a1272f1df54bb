package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** What a resource owns on the remote, and who else claims a remote object. */
final class Ownership {
  private Ownership() {}

  /**
   * Everything this resource made that may still run: the current deployment and, where every
   * change is a new record, each history entry not known to be finished.
   */
  static List<String> ownedIds(AgentDeploymentStatus status, boolean recordPerChange) {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    if (recordPerChange) {
      ids.addAll(History.liveIds(status));
      if (status.getDeployIds() != null) {
        ids.addAll(status.getDeployIds());
      }
    }
    if (status.getDeploymentId() != null) {
      ids.add(status.getDeploymentId());
    }
    return List.copyOf(ids);
  }

  /** Any id the resource records (current deployment or history), for "held by another resource". */
  private static boolean records(AgentDeploymentStatus status, String id) {
    return id.equals(status.getDeploymentId()) || (status.getDeployIds() != null && status.getDeployIds().contains(id))
        || History.find(status, id).isPresent();
  }

  /** Another AgentDeployment that already records {@code deploymentId} in its status. */
  static Optional<String> holderOf(ReconcilePass p, String deploymentId) {
    String uid = p.resource.getMetadata().getUid();
    return p.context.getPrimaryCache().list()
        .filter(other -> !uid.equals(other.getMetadata().getUid()))
        .filter(other -> other.getStatus() != null && records(other.getStatus(), deploymentId))
        .map(other -> other.getMetadata().getNamespace() + "/" + other.getMetadata().getName()).findFirst();
  }

  static Instant intentOf(AgentDeployment resource) {
    String value = Annotations.get(resource, Annotations.CREATE_INTENT);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (RuntimeException unparseable) {
      return null;
    }
  }

  /**
   * Past the history bound, one read per pass settles the oldest record that may still run (an
   * Agentex deploy since superseded), so the bound holds without ever dropping a live one.
   */
  static void settleOldestHistoryEntry(ReconcilePass p, io.agentdeploy.operator.remote.RemoteDeploymentClient client,
      ObservationSource observer) {
    History.oldestUnsettled(p.draft.status, p.draft.status.getDeploymentId()).ifPresent(id -> {
      var old = observer.observe(client, id, null);
      if (!old.exists() && old.absence() != io.agentdeploy.operator.remote.Observation.Absence.RECHECK) {
        History.outcome(p.draft.status, id, "GONE", false);
      }
    });
  }
}

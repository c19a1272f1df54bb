package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** What a resource owns on the remote, and who else claims a remote object. */
final class Ownership {
  /** Agentex: how many created deploys status remembers (and deletes with the resource). */
  static final int DEPLOY_HISTORY = 10;

  private Ownership() {}

  /** Everything this resource created that may still exist: the current deployment and, for Agentex, its history. */
  static List<String> ownedIds(AgentDeploymentStatus status) {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    if (status.getDeployIds() != null) {
      ids.addAll(status.getDeployIds());
    }
    if (status.getDeploymentId() != null) {
      ids.add(status.getDeploymentId());
    }
    return List.copyOf(ids);
  }

  /** Adds a deploy this resource created to status (newest last, bounded). */
  static void remember(ReconcilePass p, String deployId) {
    List<String> ids = new ArrayList<>(p.draft.status.getDeployIds() == null ? List.of()
        : p.draft.status.getDeployIds());
    ids.remove(deployId);
    ids.add(deployId);
    while (ids.size() > DEPLOY_HISTORY) {
      ids.remove(0);
    }
    p.draft.status.setDeployIds(ids);
  }

  /** Another AgentDeployment that already records {@code deploymentId} in its status. */
  static Optional<String> holderOf(ReconcilePass p, String deploymentId) {
    String uid = p.resource.getMetadata().getUid();
    return p.context.getPrimaryCache().list()
        .filter(other -> !uid.equals(other.getMetadata().getUid()))
        .filter(other -> other.getStatus() != null && ownedIds(other.getStatus()).contains(deploymentId))
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
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteMatch;
import java.util.Objects;
import java.util.Optional;

/**
 * A deploy this resource made was superseded by one it did not make (a hand-made deploy, another
 * tool): deploying again would start a fight, so the resource reports it once and waits for a
 * spec change or a new reconcile-requested-at value.
 */
final class Supersession {
  private final EventRecorder events;

  Supersession(EventRecorder events) {
    this.events = events;
  }

  /** True when the resource must wait (reported); false when it may deploy again. */
  boolean waitAfterExternalSupersede(ReconcilePass p, RemoteDeploymentClient client, Observation observation) {
    String requested = Annotations.get(p.resource, Annotations.RECONCILE_REQUESTED_AT);
    if (requested != null && !requested.equals(p.before.getReconcileRequestHandled())) {
      return false;
    }
    String nonce = p.draft.status.getWriteAhead() == null ? null : p.draft.status.getWriteAhead().getNonce();
    Optional<RemoteMatch> newer = client.lookup(p.resource.getSpec(), observation.createdAt()).stream()
        .filter(m -> p.desired.name().equals(m.name()) && !observation.deploymentId().equals(m.deploymentId()))
        .findFirst();
    if (newer.isPresent() && nonce != null && nonce.equals(newer.get().nonce())) {
      return false;
    }
    History.outcome(p.draft.status, observation.deploymentId(), "SUPERSEDED", false);
    String by = newer.map(m -> "deploy " + m.deploymentId()).orElse("a deploy this resource did not make");
    String message = p.noun + " " + observation.deploymentId() + " was superseded by " + by
        + " (not made by this resource); nothing is deployed again until the spec changes or the "
        + Annotations.RECONCILE_REQUESTED_AT + " annotation gets a new value";
    if (!Objects.equals("SupersededExternally", Conditions.reason(p.before.getConditions(), Conditions.READY))) {
      events.warning(p.resource, "SupersededExternally", message);
    }
    p.draft.ready(false, "SupersededExternally", message);
    p.draft.synced(false, "SupersededExternally", message);
    p.draft.phase("Failed");
    return true;
  }
}

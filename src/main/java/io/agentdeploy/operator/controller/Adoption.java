package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteMatch;
import io.agentdeploy.operator.remote.SpecProblem;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adoption on request: a deployment this resource did not make is taken only when the adopt
 * annotation names it (by name where names are unique, else by id) and no other resource holds it;
 * otherwise the name is someone else's ({@code NameConflict}).
 */
final class Adoption {
  private static final Logger LOG = LoggerFactory.getLogger(Adoption.class);

  private final EventRecorder events;
  private final ObservationSource observer;
  private final WriteAhead writeAhead;

  Adoption(EventRecorder events, ObservationSource observer, WriteAhead writeAhead) {
    this.events = events;
    this.observer = observer;
    this.writeAhead = writeAhead;
  }

  Creation.Outcome adopt(ReconcilePass p, RemoteDeploymentClient client, RemoteMatch match, String adopt)
      throws SpecProblem {
    Optional<String> holder = Ownership.holderOf(p, match.deploymentId());
    boolean asked = adopt != null && (Creation.ADOPT_BY_NAME.equals(adopt) || adopt.equals(match.deploymentId()));
    if (!asked || holder.isPresent()) {
      throw new SpecProblem("NameConflict", "a deployment named " + p.desired.name()
          + " already exists on the control plane (id " + match.deploymentId() + ") and this resource did not "
          + "create it" + holder.map(h -> "; it is managed by AgentDeployment " + h + ", rename " + p.desired.nameField())
              .orElse(adopt != null ? "; the " + Annotations.ADOPT + " annotation names " + adopt + ", not this id"
                  : "; to manage it from this resource, set the annotation " + Annotations.ADOPT + ": "
                  + Creation.ADOPT_BY_NAME + " (or its id), otherwise rename " + p.desired.nameField()));
    }
    return tookOverOnRequest(p, match.deploymentId(), observer.observe(client, match.deploymentId(), p.desired));
  }

  Creation.Outcome adoptById(ReconcilePass p, RemoteDeploymentClient client, String id) throws SpecProblem {
    Optional<String> holder = Ownership.holderOf(p, id);
    if (holder.isPresent()) {
      throw new SpecProblem("AdoptionFailed", "the " + Annotations.ADOPT + " annotation names " + id
          + ", which AgentDeployment " + holder.get() + " already manages");
    }
    Observation observation = observer.observe(client, id, p.desired);
    if (!observation.exists()) {
      throw new SpecProblem("AdoptionFailed", "the " + Annotations.ADOPT + " annotation names " + id
          + ", which does not exist (or no longer runs) on the control plane");
    }
    return tookOverOnRequest(p, id, observation);
  }

  private Creation.Outcome tookOverOnRequest(ReconcilePass p, String id, Observation seen) {
    Observation observation = vouchedByOwnCreate(p, seen) ? seen.withContent(seen.content().vouchedFor()) : seen;
    events.normal(p.resource, "Adopted", "adopted existing remote deployment " + id + " as asked by the "
        + Annotations.ADOPT + " annotation" + (observation.content().proven() ? ""
            : "; its record does not show the spec's " + observation.content().describe()
                + ", so the spec is deployed once"));
    LOG.info("{}: adopting remote deployment {}", p.ref(), id);
    Creation.replaceRemote(p, id);
    WriteAhead.retire(p);
    AccountGuard.recordCurrent(p);
    if (p.recordPerChange) {
      History.add(p.draft.status, id, null, p.now);
    }
    return new Creation.Outcome.TookOver(observation, true);
  }

  /**
   * What the record cannot show (an Agentex image) is vouched for by this resource's own create of
   * this very spec whose answer was lost, when the adopted deployment was made inside that create's
   * window: the case where the control plane strips the nonce and the operator asked to adopt it.
   */
  private boolean vouchedByOwnCreate(ReconcilePass p, Observation seen) {
    return WriteAhead.open(p).filter(r -> WriteAhead.CREATE.equals(r.getOperation())
        && p.desired.hash().equals(r.getDesiredStateHash()) && writeAhead.inWindow(r, seen.createdAt())).isPresent();
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.Applied;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteMatch;
import io.agentdeploy.operator.remote.SpecProblem;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create or adopt: looks the deployment up first, takes over what this resource provably made
 * (or was told to adopt), reports a name taken by someone else, and otherwise records the intent
 * and creates. On providers where a change is a new record (Agentex) updates come through here too.
 */
final class Creation {
  /** Value of the adopt annotation that adopts whatever live deployment has the spec's name. */
  static final String ADOPT_BY_NAME = "by-name";
  private static final Logger LOG = LoggerFactory.getLogger(Creation.class);

  /** What the step did: finished this pass, or found a deployment to continue with. */
  sealed interface Outcome {
    record Done(Duration requeue) implements Outcome {}

    record TookOver(Observation observation) implements Outcome {}
  }

  private final OperatorConfig config;
  private final EventRecorder events;
  private final ObservationSource observer;

  Creation(OperatorConfig config, EventRecorder events, ObservationSource observer) {
    this.config = config;
    this.events = events;
    this.observer = observer;
  }

  Outcome run(ReconcilePass p, RemoteDeploymentClient client, String reason) throws SpecProblem {
    Instant intent = Ownership.intentOf(p.resource);
    List<RemoteMatch> matches = client.findByName(p.desired);
    if (!client.namesAreUnique()) {
      // Without unique names only a record made after our intent whose answer was lost is ours;
      // records this resource already knows, and everything else, are history, not conflicts.
      List<String> known = Ownership.ownedIds(p.draft.status);
      matches = matches.stream().filter(m -> intent != null && m.createdAt() != null
          && !m.createdAt().isBefore(intent.minus(config.adoptSkew())) && !known.contains(m.deploymentId())
          && Ownership.holderOf(p, m.deploymentId()).isEmpty()).toList();
    }
    Optional<RemoteMatch> live = matches.stream().filter(m -> !m.deleting()).findFirst();
    if (live.isEmpty() && !matches.isEmpty()) {
      String message = "a deployment named " + p.desired.name()
          + " is being deleted on the control plane; it will be created once that deletion completes";
      p.draft.ready(false, "RemoteDeleting", message);
      p.draft.synced(false, "RemoteDeleting", message);
      p.draft.phase("Pending");
      return new Outcome.Done(config.pollInitial());
    }
    String adopt = Annotations.get(p.resource, Annotations.ADOPT);
    if (adopt != null && !ADOPT_BY_NAME.equals(adopt)) {
      live = live.filter(m -> m.deploymentId().equals(adopt));
      if (live.isEmpty()) {
        throw new SpecProblem("AdoptionFailed", "the " + Annotations.ADOPT + " annotation names deployment " + adopt
            + ", but no live deployment with that id is named " + p.desired.name() + " on the control plane");
      }
    }
    if (live.isPresent()) {
      return takeOver(p, client, live.get(), intent, adopt);
    }
    return create(p, client, reason);
  }

  private Outcome takeOver(ReconcilePass p, RemoteDeploymentClient client, RemoteMatch match, Instant intent,
      String adopt) throws SpecProblem {
    Optional<String> holder = Ownership.holderOf(p, match.deploymentId());
    boolean recovered = intent != null && match.createdAt() != null
        && !match.createdAt().isBefore(intent.minus(config.adoptSkew())) && holder.isEmpty();
    boolean adopted = adopt != null && holder.isEmpty();
    if (!recovered && !adopted) {
      throw new SpecProblem("NameConflict", "a deployment named " + p.desired.name()
          + " already exists on the control plane (id " + match.deploymentId() + ") and this resource did not "
          + "create it" + holder.map(h -> "; it is managed by AgentDeployment " + h + ", rename " + p.desired.nameField())
              .orElse("; to manage it from this resource, set the annotation " + Annotations.ADOPT + ": "
                  + ADOPT_BY_NAME + " (or its id), otherwise rename " + p.desired.nameField()));
    }
    if (recovered) {
      events.normal(p.resource, "Recovered", "found remote deployment " + match.deploymentId()
          + ", created after this resource's recorded create intent (an earlier create whose answer was lost); "
          + "using it instead of creating another");
    } else {
      events.normal(p.resource, "Adopted", "adopted existing remote deployment " + match.deploymentId()
          + " as asked by the " + Annotations.ADOPT + " annotation");
    }
    LOG.info("{}: taking over remote deployment {} ({})", p.ref(), match.deploymentId(),
        recovered ? "interrupted create" : "adoption");
    p.draft.status.setDeploymentId(match.deploymentId());
    if (client.updateCreatesNewRecord()) {
      Ownership.remember(p, match.deploymentId());
    }
    return new Outcome.TookOver(observer.observe(client, match.deploymentId(), p.desired));
  }

  private Outcome create(ReconcilePass p, RemoteDeploymentClient client, String reason) {
    p.resource = recordIntent(p);
    String replaced = p.draft.status.getDeploymentId();
    boolean replacedPreview = p.draft.status.getExpiresAt() != null;
    Applied applied = client.create(p.desired);
    events.normal(p.resource, reason, ("Created".equals(reason) ? "created remote deployment " : "deployed ")
        + applied.deploymentId() + ("Created".equals(reason) && !applied.deploymentId().equals(applied.revisionId())
            ? " (revision " + applied.revisionId() + ")" : "")
        + ("Updated".equals(reason) ? " for generation " + p.resource.getMetadata().getGeneration() : "")
        + ("DriftCorrected".equals(reason) ? ": the remote no longer ran the spec" : ""));
    p.draft.applied(applied.deploymentId(), applied.revisionId(), p.desired.hash());
    p.draft.status.setLastRemoteEvent(null);
    if (client.updateCreatesNewRecord()) {
      Ownership.remember(p, applied.deploymentId());
      if (replaced != null && replacedPreview && !replaced.equals(applied.deploymentId())) {
        deleteReplacedPreview(p, client, replaced);
      }
    }
    p.draft.synced(true, "Applied", "created remote deployment " + applied.deploymentId());
    p.draft.ready(false, "Progressing", p.noun + " " + applied.revisionId() + " is rolling out");
    p.draft.phase("Creating");
    return new Outcome.Done(config.pollInitial());
  }

  /** Previews are never superseded by the remote: the operator deletes the one it replaced. */
  private void deleteReplacedPreview(ReconcilePass p, RemoteDeploymentClient client, String replaced) {
    try {
      client.delete(replaced, false);
      events.normal(p.resource, "PreviewReplaced", "deleted preview deploy " + replaced + ", replaced by a new one");
    } catch (io.agentdeploy.operator.remote.RemoteException e) {
      // It stays in status.deployIds: deleted with the resource at the latest, or when it expires.
      events.warning(p.resource, "PreviewReplaced", "could not delete replaced preview deploy " + replaced + ": "
          + e.getMessage());
    }
  }

  /**
   * Writes the create intent with the resourceVersion we read, so a stale writer (a second
   * operator instance, an old cache) fails with 409 instead of creating a duplicate.
   */
  private static AgentDeployment recordIntent(ReconcilePass p) {
    String patch = "{\"metadata\":{\"resourceVersion\":\"" + p.resource.getMetadata().getResourceVersion()
        + "\",\"annotations\":{\"" + Annotations.CREATE_INTENT + "\":\"" + p.now + "\"}}}";
    AgentDeployment updated = p.context.getClient().resources(AgentDeployment.class)
        .inNamespace(p.resource.getMetadata().getNamespace()).withName(p.resource.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    updated.setStatus(p.resource.getStatus());
    return updated;
  }
}

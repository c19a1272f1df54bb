package io.agentdeploy.operator.benchmark;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.controller.Reasons;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Instant;

/**
 * The least any operator of AgentDeployments can do, as the benchmark's yardstick: a finalizer
 * (JOSDK adds it because this is a {@link Cleaner}), one status write saying Ready for the
 * generation, and nothing on deletion. No remote calls. With a client for Events, it also writes
 * one Event after the status and one on deletion, as many as the real operator writes: the floor
 * of an operator that must report what it did (the Events issue 2 asks for), to tell the cost of
 * those Events in the API server from the rest.
 */
final class NullReconciler implements Reconciler<AgentDeployment>, Cleaner<AgentDeployment> {
  private final KubernetesClient events;

  /** @param events the client that writes one Event per create and per deletion, or null for none */
  NullReconciler(KubernetesClient events) {
    this.events = events;
  }

  @Override
  public UpdateControl<AgentDeployment> reconcile(AgentDeployment resource, Context<AgentDeployment> context) {
    Long generation = resource.getMetadata().getGeneration();
    AgentDeploymentStatus status = resource.getStatus() == null ? new AgentDeploymentStatus() : resource.getStatus();
    boolean readyNow = Conditions.find(status.getConditions(), Conditions.READY)
        .map(c -> "True".equals(c.getStatus()) && generation.equals(c.getObservedGeneration())).orElse(false);
    if (readyNow) {
      return UpdateControl.noUpdate();
    }
    status.setConditions(Conditions.with(status.getConditions(), Conditions.READY, true, Reasons.DEPLOYED.reason,
        "null operator", generation, Instant.now()));
    status.setPhase("Ready");
    status.setObservedGeneration(generation);
    // A status update as the real operator writes it (the mock API server cannot apply JOSDK's JSON
    // patch of a status that was empty), cached so the next reconcile sees it.
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, r -> {
      r.setStatus(status);
      return r;
    });
    event(resource, "Created");
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(AgentDeployment resource, Context<AgentDeployment> context) {
    event(resource, "Deleted");
    return DeleteControl.defaultDelete();
  }

  private void event(AgentDeployment resource, String reason) {
    if (events == null) {
      return;
    }
    String name = resource.getMetadata().getName();
    String namespace = resource.getMetadata().getNamespace();
    String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    events.v1().events().inNamespace(namespace).resource(new EventBuilder()
        .withNewMetadata().withGenerateName(name + ".").withNamespace(namespace).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(resource.getApiVersion())
            .withKind(resource.getKind()).withName(name).withNamespace(namespace)
            .withUid(resource.getMetadata().getUid()).build())
        .withType("Normal").withReason(reason).withMessage("null operator").withCount(1)
        .withFirstTimestamp(now).withLastTimestamp(now).build()).create();
  }
}

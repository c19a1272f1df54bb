package io.agentdeploy.operator.benchmark;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.controller.Reasons;
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
 * generation, and nothing on deletion. No remote calls.
 */
final class NullReconciler implements Reconciler<AgentDeployment>, Cleaner<AgentDeployment> {
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
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(AgentDeployment resource, Context<AgentDeployment> context) {
    return DeleteControl.defaultDelete();
  }
}

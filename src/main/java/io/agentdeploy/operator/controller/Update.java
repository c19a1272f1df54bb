package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.Applied;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import java.time.Duration;

/** Decides whether an existing deployment needs a change, and PATCHes it where the remote has PATCH. */
final class Update {
  /** Why a deployment needs a write; the names double as event reasons. */
  enum Change {
    NONE(null), SPEC("Updated"), DRIFT("DriftCorrected");

    final String reason;

    Change(String reason) {
      this.reason = reason;
    }
  }

  private final OperatorConfig config;
  private final EventRecorder events;

  Update(OperatorConfig config, EventRecorder events) {
    this.config = config;
    this.events = events;
  }

  /**
   * @param adopted the deployment was just taken over: values the remote cannot show (secrets)
   *     are applied once, since nothing proves they match
   */
  static Change needed(ReconcilePass p, Observation observation, boolean adopted) {
    boolean specChanged = adopted ? p.desired.hasWriteOnlyValues()
        : !p.desired.hash().equals(p.draft.status.getDesiredStateHash());
    if (specChanged) {
      return Change.SPEC;
    }
    return observation.upToDate() ? Change.NONE : Change.DRIFT;
  }

  Duration patch(ReconcilePass p, RemoteDeploymentClient client, Observation observation, Change change) {
    Applied applied = client.update(observation.deploymentId(), p.desired);
    p.draft.applied(observation.deploymentId(), applied.revisionId(), p.desired.hash());
    if (change == Change.SPEC) {
      events.normal(p.resource, change.reason, "applied generation " + p.resource.getMetadata().getGeneration()
          + " as revision " + applied.revisionId());
    } else {
      events.normal(p.resource, change.reason, "remote fields " + String.join(", ", observation.drift())
          + " differed from the spec; patched back as revision " + applied.revisionId());
    }
    p.draft.synced(true, "Applied", "spec applied as revision " + applied.revisionId());
    p.draft.ready(false, "Progressing", "revision " + applied.revisionId() + " is rolling out");
    p.draft.phase("Deploying");
    return config.pollInitial();
  }
}

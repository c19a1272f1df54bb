package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Follows the newest revision (or deploy) to live or failed and maps it to Ready and the phase;
 * decides how soon to look again (adaptive while rolling out, the resync once settled).
 */
final class RolloutFollower {
  private final OperatorConfig config;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final NoProgress noProgress;
  private final AgentexResync agentex;

  RolloutFollower(OperatorConfig config, EventRecorder events, OperatorMetrics metrics, NoProgress noProgress,
      AgentexResync agentex) {
    this.agentex = agentex;
    this.config = config;
    this.events = events;
    this.metrics = metrics;
    this.noProgress = noProgress;
  }

  Duration follow(ReconcilePass p, Observation observation) {
    AgentDeploymentStatus s = p.draft.status;
    Rollout rollout = observation.rollout();
    if (observation.url() != null) {
      s.setUrl(observation.url());
    }
    if (rollout == null) {
      p.draft.ready(false, "Progressing", "waiting for the control plane to create the first revision");
      p.draft.phase("Creating");
      // Nothing to follow yet: looked at less and less often, up to the resync.
      return noProgress.next(p.key(), "NoRevision " + observation.deploymentId());
    }
    if (!Objects.equals(rollout.revisionId(), s.getLatestRevisionId())) {
      // A revision we did not create (build on push, the UI): follow it from now.
      s.setLatestRevisionId(rollout.revisionId());
      s.setRolloutStartedAt(p.now.toString());
    }
    String previousStatus = p.before.getRevisionStatus();
    boolean sameRevision = Objects.equals(p.before.getLatestRevisionId(), rollout.revisionId());
    boolean alreadyReported = sameRevision && Objects.equals(previousStatus, rollout.status());
    s.setActiveRevisionId(rollout.activeRevisionId());
    s.setRevisionStatus(rollout.status());
    History.outcome(s, rollout.revisionId(), rollout.status(), !rollout.retired());
    return switch (rollout.phase()) {
      case SUCCEEDED -> succeeded(p, rollout, alreadyReported);
      case FAILED -> failed(p, rollout, alreadyReported);
      default -> inProgress(p, rollout);
    };
  }

  private Duration succeeded(ReconcilePass p, Rollout rollout, boolean alreadyReported) {
    if (rollout.isLive()) {
      if (!p.recordPerChange) {
        History.servingOnly(p.draft.status, rollout.revisionId());
      }
      // A pass may have read the revision DEPLOYED before it was serving (two reads, not one
      // snapshot): it is reported when it is first seen live, not when its status word was first seen.
      boolean sawItNotServing = "Progressing".equals(Conditions.reason(p.before.getConditions(), Conditions.READY));
      if (!alreadyReported || sawItNotServing) {
        if (p.appliedEvent != null) {
          p.appliedEvent.live(p.noun + " " + rollout.revisionId());
        } else {
          events.normal(p.resource, "RevisionDeployed", p.noun + " " + rollout.revisionId() + " is live");
        }
        metrics.rolloutCompleted(rolloutElapsed(p));
      }
      p.draft.ready(true, "Deployed", p.noun + " " + rollout.revisionId() + " is live");
      p.draft.phase("Ready");
      return agentex.settled(p);
    }
    p.draft.ready(false, "Progressing", p.noun + " " + rollout.revisionId() + " is " + rollout.status()
        + " and not yet serving");
    p.draft.phase("Deploying");
    return pollInterval(p);
  }

  private Duration failed(ReconcilePass p, Rollout rollout, boolean alreadyReported) {
    String message = p.noun + " " + rollout.revisionId() + " ended in " + rollout.status()
        + (p.lastWarning != null ? " (" + p.lastWarning + ")" : "")
        + "; change the spec to roll out a new " + p.noun
        + (rollout.activeRevisionId() != null ? " (" + p.noun + " " + rollout.activeRevisionId() + " keeps serving)" : "");
    if (!alreadyReported) {
      events.warning(p.resource, "RevisionFailed", message);
    }
    p.draft.ready(false, "RevisionFailed", message);
    p.draft.phase("Failed");
    return agentex.terminal(p);
  }

  private Duration inProgress(ReconcilePass p, Rollout rollout) {
    Duration elapsed = rolloutElapsed(p);
    if (elapsed.compareTo(config.progressDeadline()) > 0) {
      // The condition says the same thing on every pass (no elapsed time), so a repeated pass writes
      // nothing; the event, sent once, says how long it has taken.
      String message = p.noun + " " + rollout.revisionId() + " is still " + rollout.status()
          + " past the progress deadline of " + describe(config.progressDeadline()) + " since it started at "
          + p.draft.status.getRolloutStartedAt();
      if (!"ProgressDeadlineExceeded".equals(Conditions.reason(p.before.getConditions(), Conditions.READY))) {
        events.warning(p.resource, "ProgressDeadlineExceeded", p.noun + " " + rollout.revisionId() + " is still "
            + rollout.status() + " after " + elapsed.toMinutes() + " minutes (deadline "
            + describe(config.progressDeadline()) + ")");
      }
      p.draft.ready(false, "ProgressDeadlineExceeded", message);
      p.draft.phase("Failed");
      return config.pollMax();
    }
    p.draft.ready(false, "Progressing", p.noun + " " + rollout.revisionId() + " is " + rollout.status()
        + (p.lastWarning != null ? " (last warning: " + p.lastWarning + ")" : ""));
    p.draft.phase("Deploying");
    return pollInterval(p);
  }

  private static Duration rolloutElapsed(ReconcilePass p) {
    String started = p.draft.status.getRolloutStartedAt();
    if (started == null) {
      p.draft.status.setRolloutStartedAt(p.now.toString());
      return Duration.ZERO;
    }
    try {
      return Duration.between(Instant.parse(started), p.now);
    } catch (RuntimeException unparseable) {
      return Duration.ZERO;
    }
  }

  /** A duration as people write it: whole minutes when it is some, else seconds. */
  static String describe(Duration d) {
    return d.toMinutes() > 0 && d.toSecondsPart() == 0 ? d.toMinutes() + " minutes" : d.toSeconds() + " seconds";
  }

  /** Adaptive polling: as long as the rollout has taken so far, within [pollInitial, pollMax]. */
  private Duration pollInterval(ReconcilePass p) {
    return clamp(rolloutElapsed(p), config.pollInitial(), config.pollMax());
  }

  static Duration clamp(Duration value, Duration min, Duration max) {
    return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
  }
}

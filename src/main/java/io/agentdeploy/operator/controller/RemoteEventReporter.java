package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteEvent;
import java.util.List;

/** Reports the warnings the remote gives about a deployment (Agentex deploy events) as Events, once each. */
final class RemoteEventReporter {
  private final EventRecorder events;

  RemoteEventReporter(EventRecorder events) {
    this.events = events;
  }

  /** Once each across restarts: the newest reported event's marker is kept in status. */
  void report(ReconcilePass p, Observation observation) {
    List<RemoteEvent> remote = observation.events();
    if (remote.isEmpty()) {
      return;
    }
    String last = p.draft.status.getLastRemoteEvent();
    int start = 0;
    for (int i = 0; i < remote.size(); i++) {
      if (remote.get(i).marker().equals(last)) {
        start = i + 1;
      }
    }
    for (int i = start; i < remote.size(); i++) {
      RemoteEvent e = remote.get(i);
      // Progress (scheduled, started) is what status already says; only the remote's warnings
      // explain something status cannot, and an Event per step would cost thousands at scale.
      if (e.isWarning()) {
        events.warning(p.resource, "Remote" + e.reason(), "remote " + observation.deploymentId() + ": " + e.message());
      }
    }
    remote.stream().filter(RemoteEvent::isWarning).reduce((a, b) -> b)
        .ifPresent(w -> p.lastWarning = w.reason() + ": " + w.message());
    p.draft.status.setLastRemoteEvent(remote.get(remote.size() - 1).marker());
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;

/** Previews are never superseded by the remote: the operator deletes the one a new deploy replaced. */
final class ReplacedPreviews {
  private ReplacedPreviews() {
  }

  static void delete(ReconcilePass p, RemoteDeploymentClient client, EventRecorder events, String replaced) {
    try {
      client.delete(replaced, false);
      events.normal(p.resource, "PreviewReplaced", "deleted preview deploy " + replaced + ", replaced by a new one");
    } catch (RemoteException e) {
      // It stays in the history: deleted with the resource at the latest, or when it expires.
      events.warning(p.resource, "PreviewReplaced", "could not delete replaced preview deploy " + replaced + ": "
          + e.getMessage());
    }
  }
}

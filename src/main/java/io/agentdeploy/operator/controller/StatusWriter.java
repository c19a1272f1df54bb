package io.agentdeploy.operator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place an AgentDeployment's status is written. */
final class StatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  private StatusWriter() {}

  /**
   * Replaces the status when it changed, and only then (no writes on a quiet resync), with the
   * locked write below: the whole status, so fields that became empty are removed, cached so the
   * next reconcile never sees the old one. Never retried over a newer object: a pass that read
   * before another writer's change (a second replica, the old leader) would write back what it
   * concluded from the old one (a deployment it did not see recorded, a record it did not see).
   */
  static void write(ReconcilePass p) {
    if (p.draft.status.equals(p.written) || p.givenBack) {
      return;
    }
    writeLocked(p);
  }

  /**
   * A status write locked to the resourceVersion this pass read, and never retried: a conflict
   * (the object changed since) ends the pass (a {@link StaleRead}); the change's own event brings
   * the next one. Before a remote write (the write-ahead record) this is what keeps a second
   * writer from sending too.
   */
  static void writeLocked(ReconcilePass p) {
    AgentDeploymentStatus status = p.draft.status.copy();
    ArrayNode ops = LockedPatch.start(p);
    LockedPatch.op(ops, "add", "/status").set("value",
        p.context.getClient().getKubernetesSerialization().convertValue(status, JsonNode.class));
    LockedPatch.apply(p, ops, true);
    p.written = status;
  }

  /** During deletion the resource may vanish under us once another actor removes the last finalizer. */
  static void writeWhileDeleting(ReconcilePass p) {
    try {
      write(p);
    } catch (KubernetesClientException | StaleRead e) {
      LOG.debug("{}: could not write status during deletion: {}", p.ref(), e.getMessage());
    }
  }
}

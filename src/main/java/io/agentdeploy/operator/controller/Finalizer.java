package io.agentdeploy.operator.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.WriteAheadRecord;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;

/**
 * The AgentDeployment's finalizer, kept by the reconciler itself (JOSDK's all-events mode) so a
 * first create writes it in the same request as its write-ahead record: one write fewer per
 * resource. Every metadata write here carries the resourceVersion the pass read, so a stale
 * writer gets a conflict and sends nothing; the answer goes to the controller's cache so the next
 * pass never reads the object as it was before.
 */
final class Finalizer {
  static final String NAME = AgentDeploymentReconciler.FINALIZER;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANNOTATION_PATH = "/metadata/annotations/"
      + Annotations.WRITE_AHEAD.replace("~", "~0").replace("/", "~1");

  private Finalizer() {}

  static boolean present(AgentDeployment resource) {
    List<String> finalizers = resource.getMetadata().getFinalizers();
    return finalizers != null && finalizers.contains(NAME);
  }

  /**
   * Adds the finalizer to a live resource that lacks it, before the pass records anything it owns.
   * Never to a resource being deleted (the API server refuses new finalizers then).
   */
  static void ensure(ReconcilePass p) {
    if (present(p.resource) || p.resource.isMarkedForDeletion()) {
      return;
    }
    LockedPatch.apply(p, addFinalizer(p, LockedPatch.start(p)), false);
  }

  /** A first create's record goes out with the finalizer: the one write before the create call. */
  static void addWithCreateRecord(ReconcilePass p, WriteAheadRecord record) {
    String json = p.context.getClient().getKubernetesSerialization().asJson(record);
    ArrayNode ops = addFinalizer(p, LockedPatch.start(p));
    if (p.resource.getMetadata().getAnnotations() == null) {
      op(ops, "add", "/metadata/annotations").putObject("value").put(Annotations.WRITE_AHEAD, json);
    } else {
      op(ops, "add", ANNOTATION_PATH).put("value", json);
    }
    LockedPatch.apply(p, ops, false);
  }

  /**
   * The record kept in the annotation, while it may still be open: nothing the resource owns was
   * ever recorded in status (the status write after a create records the id and a history entry,
   * and then the annotation is dead).
   */
  static Optional<WriteAheadRecord> createRecord(ReconcilePass p) {
    String json = Annotations.get(p.resource, Annotations.WRITE_AHEAD);
    var status = p.draft.status;
    if (json == null || status.getDeploymentId() != null
        || (status.getHistory() != null && !status.getHistory().isEmpty())) {
      return Optional.empty();
    }
    try {
      WriteAheadRecord record = p.context.getClient().getKubernetesSerialization()
          .unmarshal(json, WriteAheadRecord.class);
      return Optional.ofNullable(record).filter(r -> WriteAhead.CREATE.equals(r.getOperation()));
    } catch (RuntimeException unreadable) {
      return Optional.empty(); // edited by hand: proves nothing
    }
  }

  /** A create refused for good: its record in the annotation must not open again. */
  static void dropCreateRecord(ReconcilePass p) {
    if (Annotations.get(p.resource, Annotations.WRITE_AHEAD) == null) {
      return;
    }
    ArrayNode ops = LockedPatch.start(p);
    op(ops, "remove", ANNOTATION_PATH);
    LockedPatch.apply(p, ops, false);
  }

  /**
   * The deletion is done: the finalizer goes. One JSON patch that tests and removes it at its index
   * (as docs/install.md shows for kubectl), computed here: fabric8's edit would clone the object
   * twice and diff it, 15% of the operator's CPU in a mass deletion. When the list changed under it
   * (the test fails: a 422 from the API server), JOSDK's conflict-retrying removal re-reads and
   * retries. (The mock API server leaves a failed JSON patch unanswered; the client's timeout and
   * retry cover it there.)
   */
  static void release(ReconcilePass p) {
    // The index from the freshest copy the cache holds (another controller may have let go meanwhile).
    AgentDeployment before = p.context.getPrimaryCache().get(ResourceID.fromResource(p.resource)).orElse(p.resource);
    List<String> finalizers = before.getMetadata().getFinalizers();
    int index = finalizers == null ? -1 : finalizers.indexOf(NAME);
    if (index < 0) {
      return;
    }
    ArrayNode ops = JSON.createArrayNode();
    op(ops, "test", "/metadata/finalizers/" + index).put("value", NAME);
    op(ops, "remove", "/metadata/finalizers/" + index);
    AgentDeployment after;
    try {
      after = LockedPatch.target(p, before).patch(PatchContext.of(PatchType.JSON), ops.toString());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return; // already gone: what the removal was for
      }
      after = removeReadingAgain(p, before);
    }
    if (after != null) { // null: the object went with its last finalizer
      // Cached, so an event already queued for it finds it released, not a pass that deletes again.
      LockedPatch.cache(p, before, after);
      p.resource = after;
    }
  }

  private static AgentDeployment removeReadingAgain(ReconcilePass p, AgentDeployment before) {
    try {
      return PrimaryUpdateAndCacheUtils.removeFinalizer(p.context.getClient(), before, NAME);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static ArrayNode addFinalizer(ReconcilePass p, ArrayNode ops) {
    if (p.resource.getMetadata().getFinalizers() == null || p.resource.getMetadata().getFinalizers().isEmpty()) {
      op(ops, "add", "/metadata/finalizers").putArray("value").add(NAME);
    } else {
      op(ops, "add", "/metadata/finalizers/-").put("value", NAME);
    }
    return ops;
  }

  private static ObjectNode op(ArrayNode ops, String op, String path) {
    return LockedPatch.op(ops, op, path);
  }
}

package io.agentdeploy.operator.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.WriteAheadRecord;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    patch(p, with(p.resource.getMetadata().getFinalizers(), true), Map.of());
  }

  /** A first create's record goes out with the finalizer: the one write before the create call. */
  static void addWithCreateRecord(ReconcilePass p, WriteAheadRecord record) {
    String json = p.context.getClient().getKubernetesSerialization().asJson(record);
    patch(p, with(p.resource.getMetadata().getFinalizers(), true), Map.of(Annotations.WRITE_AHEAD, json));
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
    Map<String, String> removed = new LinkedHashMap<>();
    removed.put(Annotations.WRITE_AHEAD, null);
    patch(p, p.resource.getMetadata().getFinalizers(), removed);
  }

  /**
   * The deletion is done: the finalizer goes, retried on a conflict (nothing is decided on the
   * object's other fields any more; JOSDK's own removal does the same).
   */
  static void release(ReconcilePass p) {
    p.resource = PrimaryUpdateAndCacheUtils.removeFinalizer(p.context.getClient(), p.resource, NAME);
  }

  private static List<String> with(List<String> finalizers, boolean ours) {
    List<String> result = new ArrayList<>(finalizers == null ? List.of() : finalizers);
    result.remove(NAME);
    if (ours) {
      result.add(NAME);
    }
    return result;
  }

  /** A JSON merge patch of metadata, locked to the resourceVersion this pass holds. */
  private static void patch(ReconcilePass p, List<String> finalizers, Map<String, String> annotations) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode metadata = body.putObject("metadata");
    metadata.put("resourceVersion", p.resource.getMetadata().getResourceVersion());
    finalizers.forEach(metadata.putArray("finalizers")::add);
    if (!annotations.isEmpty()) {
      ObjectNode changed = metadata.putObject("annotations");
      annotations.forEach(changed::put); // a null value removes the annotation
    }
    var client = p.context.getClient();
    AgentDeployment before = p.resource;
    AgentDeployment updated = client.resources(AgentDeployment.class)
        .inNamespace(before.getMetadata().getNamespace()).withName(before.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
    p.context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(before), updated, before);
    p.resource = updated;
  }
}

package io.agentdeploy.operator.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.api.AgentDeployment;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Every write this reconciler makes to its AgentDeployment (the finalizer, the first create's
 * record, status): a JSON patch (RFC 6902) whose first operation sets the resourceVersion the pass
 * read, so the API server refuses it with a conflict when the object changed since, and the mock
 * API server does too (it lets a stale status PUT through). A conflict is never retried over the
 * newer object: it ends the pass ({@link StaleRead}). The answer goes to the controller's cache,
 * so the next pass never reads the object as it was before. (A JSON patch, not a merge patch: the
 * mock merges lists and nulls its own way.)
 */
final class LockedPatch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LockedPatch() {}

  /** The operations, starting with the resourceVersion this pass read. */
  static ArrayNode start(ReconcilePass p) {
    ArrayNode ops = JSON.createArrayNode();
    op(ops, "replace", "/metadata/resourceVersion").put("value", p.resource.getMetadata().getResourceVersion());
    return ops;
  }

  static ObjectNode op(ArrayNode ops, String op, String path) {
    return ops.addObject().put("op", op).put("path", path);
  }

  /** Applies {@code ops} to the object, or to its status subresource. */
  static void apply(ReconcilePass p, ArrayNode ops, boolean status) {
    AgentDeployment before = p.resource;
    Resource<AgentDeployment> target = target(p, before);
    AgentDeployment updated;
    try {
      updated = (status ? target.subresource("status") : target).patch(PatchContext.of(PatchType.JSON), ops.toString());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new StaleRead(p.ref()); // a stale pass: it writes nothing more and sends nothing
      }
      throw e;
    }
    cache(p, before, updated);
    p.resource = updated;
  }

  /**
   * The object as a patch target: an item naming it, not the name alone (by name, fabric8 reads the
   * object from the API server before every patch, one request more per write), and only its name
   * (fabric8 copies the item it is given through JSON text, a third of a release's CPU for the
   * whole object, while a JSON patch takes nothing from it but the name and namespace).
   */
  static Resource<AgentDeployment> target(ReconcilePass p, AgentDeployment item) {
    AgentDeployment target = new AgentDeployment();
    target.setMetadata(new ObjectMetaBuilder().withName(item.getMetadata().getName())
        .withNamespace(item.getMetadata().getNamespace()).build());
    return p.context.getClient().resource(target);
  }

  static void cache(ReconcilePass p, AgentDeployment before, AgentDeployment updated) {
    p.context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(before), updated, before);
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.ProviderAdapter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;

/**
 * The state of one reconcile (or cleanup) of one AgentDeployment: the resource as last written
 * (replaced after a write-ahead record), the status before, the draft being built, and what the
 * steps learned on the way.
 */
final class ReconcilePass {
  AgentDeployment resource;
  final Context<AgentDeployment> context;
  final ClusterReads reads;
  final StatusDraft draft;
  final AgentDeploymentStatus before;
  /** The status as last persisted during this pass (the write-ahead record writes before a call). */
  AgentDeploymentStatus written;
  /** Where remote calls go; null until resolved. */
  Target target;
  final Instant now;
  /** The provider the spec asks for, for what differs between providers. */
  final ProviderAdapter adapter;
  /** What one rollout is called in messages on this resource's provider. */
  final String noun;
  /** Every change is a new remote record (Agentex): each one in the history is the resource's to delete. */
  final boolean recordPerChange;
  DesiredDeployment desired;
  /** The newest warning the remote reported for the current deployment, for the Ready message. */
  String lastWarning;
  /**
   * The status hashes were made under a hash key the operator no longer holds and nothing asked
   * to re-apply: nothing can be compared, so nothing is applied (see {@link HashKeys}).
   */
  boolean hashKeyChanged;
  /** The event of a write this pass made, sent when the pass ends (see {@link AppliedEvent}). */
  AppliedEvent appliedEvent;
  /** A call found no rate-limit token and one was reserved before any remote write: redone later, it writes nothing. */
  boolean givenBack;

  ReconcilePass(AgentDeployment resource, Context<AgentDeployment> context, ClusterReads reads, Instant now,
      ProviderAdapter adapter) {
    this.adapter = adapter;
    this.noun = adapter.rolloutNoun();
    this.recordPerChange = adapter.changeIsNewRecord();
    this.resource = resource;
    this.context = context;
    this.reads = reads;
    this.now = now;
    this.before = resource.getStatus() == null ? new AgentDeploymentStatus() : resource.getStatus();
    this.written = before;
    this.draft = new StatusDraft(before, resource.getMetadata().getGeneration(), now);
    History.migrate(draft.status);
  }

  /** Key of per-resource memory (backoff, metrics): the uid, stable across renames and restarts. */
  String key() {
    return resource.getMetadata().getUid();
  }

  String ref() {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  /** How messages name the resource's control plane, e.g. "ControlPlane team-a". */
  String controlPlane() {
    var ref = resource.getSpec().getControlPlaneRef();
    return ref.kindOrDefault() + " " + ref.getName();
  }
}

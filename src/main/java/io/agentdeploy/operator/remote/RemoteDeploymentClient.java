package io.agentdeploy.operator.remote;

import io.agentdeploy.operator.api.AgentDeploymentSpec;
import java.time.Instant;
import java.util.List;

/**
 * The provider-neutral port the reconciler drives: observe, create, update, delete. One instance
 * talks to one remote account; implementations live in one file per provider so every remote
 * call site of a provider is in one place. All methods throw {@link RemoteException}.
 */
public interface RemoteDeploymentClient {

  /**
   * Reads the deployment and its newest revision and compares them with {@code desired}; with a
   * null {@code desired} only existence and deletion state are read.
   */
  Observation observe(String deploymentId, DesiredDeployment desired);

  /**
   * Remote deployments the spec may have made, for the lookup before every create and on
   * deletion: by unique name (LangSmith; all of them), or records made since {@code notBefore}
   * with the nonce they carry (Agentex, whose names are not unique). Needs only the spec, not
   * the Secrets or ConfigMaps it refers to.
   */
  List<RemoteMatch> lookup(AgentDeploymentSpec spec, Instant notBefore);

  /**
   * For a resource that records nothing on the remote yet: the live objects, made by anyone at any
   * time, that its create would replace (an Agentex agent's production release, see
   * {@link ProviderAdapter#exclusiveName}), newest first. Empty where names are unique (the lookup
   * finds every same-named object) and for a spec that holds nothing exclusive (a preview).
   */
  default List<RemoteMatch> liveHolders(AgentDeploymentSpec spec) {
    return List.of();
  }

  /** True when names are unique on the remote, so a match the operator did not create is a conflict. */
  boolean namesAreUnique();

  /** Batched reads of this account's deployments, when the provider's list can filter by id. */
  default java.util.Optional<BatchReads> batchReads() {
    return java.util.Optional.empty();
  }


  /**
   * Creates the deployment. Never retried by the transport: a failure goes back to the reconciler.
   *
   * @param nonce the write-ahead record's nonce; sent along where the remote echoes free text
   */
  Applied create(DesiredDeployment desired, String nonce);

  /** True when created objects carry the nonce back (so a lost answer is recognised by it). */
  boolean echoesNonce();

  /** Applies the desired state to an existing deployment, rolling out a new revision. */
  Applied update(String deploymentId, DesiredDeployment desired);

  /** True when an earlier revision can be rolled out again without a rebuild. */
  default boolean canRedeploy() {
    return false;
  }

  /**
   * True when the revision still exists (the API's own not-found says it does not; anything else
   * unexpected is a {@link RemoteException}).
   */
  default boolean revisionExists(String deploymentId, String revisionId) {
    return false;
  }

  /** Rolls the deployment out with an earlier revision, without a rebuild; the new latest revision. */
  default Applied redeploy(String deploymentId, String revisionId) {
    throw new UnsupportedOperationException("this control plane cannot redeploy a revision");
  }

  /** Asks the remote to delete the deployment. */
  DeleteOutcome delete(String deploymentId, boolean deleteTracingProject);

  /** An authenticated read proving the URL and credentials work. */
  void checkAccess();

  /**
   * How long ago any request with these credentials last got a 2xx answer from this URL (the proof
   * {@link #checkAccess} gives), or empty when none has or the credentials were refused since.
   */
  default java.util.Optional<java.time.Duration> sinceLastAnswer() {
    return java.util.Optional.empty();
  }
}

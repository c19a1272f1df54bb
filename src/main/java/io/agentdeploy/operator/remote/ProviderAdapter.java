package io.agentdeploy.operator.remote;

import io.agentdeploy.operator.api.AgentDeploymentSpec;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.remote.http.Endpoint;
import io.agentdeploy.operator.remote.http.HttpTransport;

/**
 * Everything provider-specific the operator needs, behind one interface: turning a spec into the
 * provider's desired state, and a client for one account. A third provider adds an
 * implementation and a line in {@link RemoteClients}; no controller code changes.
 */
public interface ProviderAdapter {
  Provider provider();

  /** The spec block this provider reads, for messages (e.g. {@code spec.langsmith}). */
  default String specPath() {
    return "spec." + provider().wireName();
  }

  /**
   * True when every change is a new remote record (Agentex deploys) rather than a new revision of
   * one deployment: then each record a resource made is its own to delete.
   */
  boolean changeIsNewRecord();

  /**
   * The name under which at most one resource may deploy in one account, where the remote does not
   * enforce it itself (an Agentex agent's production release; previews have their own), else empty.
   */
  java.util.Optional<String> exclusiveName(AgentDeploymentSpec spec);

  /** What one rollout is called in messages: a LangSmith revision, an Agentex deploy. */
  String rolloutNoun();

  /** The spec's desired state with every reference resolved, its hashes keyed by {@code hasher}. */
  DesiredDeployment desiredState(AgentDeploymentSpec spec, SpecInputs inputs, StateHasher hasher) throws SpecProblem;

  RemoteDeploymentClient client(HttpTransport transport, Endpoint endpoint);

  /** The Secrets (by name, in the resource's namespace) the spec takes values from. */
  default java.util.List<String> secretNames(AgentDeploymentSpec spec) {
    return java.util.List.of();
  }

  /** The ConfigMaps (by name, in the resource's namespace) the spec takes texts from. */
  default java.util.List<String> configMapNames(AgentDeploymentSpec spec) {
    return java.util.List.of();
  }

  /** True when deleting the deployment should also delete what the remote keeps beside it (LangSmith's tracing project). */
  default boolean deletesTracingProject(AgentDeploymentSpec spec) {
    return false;
  }

  /** The header names that carry the API key and the account (tenant or account id). */
  String apiKeyHeader();

  String accountHeader();
}

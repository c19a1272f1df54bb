package io.agentdeploy.operator.remote;

import io.agentdeploy.operator.api.AgentDeploymentSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The port as the reconcilers get it ({@link RemoteClients#clientFor}): whatever a provider client
 * throws, the caller gets a {@link RemoteException}. The transport classifies what the wire does;
 * this catches the rest (an answer the client's mapping cannot use, a bug in it) as
 * {@link RemoteException.Kind#UNEXPECTED}, named by its class, so every remote failure takes the
 * reconcilers' one path (a reason, a backoff) instead of escaping to JOSDK's retry with a stack trace.
 */
final class ClassifiedClient implements RemoteDeploymentClient {
  private final RemoteDeploymentClient client;
  private final String provider;

  ClassifiedClient(RemoteDeploymentClient client, String provider) {
    this.client = client;
    this.provider = provider;
  }

  /** {@code call}, with anything but a RemoteException turned into an UNEXPECTED one. */
  static <T> T classified(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (RemoteException e) {
      throw e;
    } catch (RuntimeException e) {
      throw RemoteException.unexpected(what, e);
    }
  }

  private <T> T guard(String operation, Supplier<T> call) {
    return classified(provider + " " + operation, call);
  }

  @Override
  public Observation observe(String deploymentId, DesiredDeployment desired) {
    return guard("observe", () -> client.observe(deploymentId, desired));
  }

  @Override
  public List<RemoteMatch> lookup(AgentDeploymentSpec spec, Instant notBefore) {
    return guard("lookup", () -> client.lookup(spec, notBefore));
  }

  @Override
  public List<RemoteMatch> liveHolders(AgentDeploymentSpec spec) {
    return guard("liveHolders", () -> client.liveHolders(spec));
  }

  @Override
  public boolean namesAreUnique() {
    return client.namesAreUnique();
  }

  @Override
  public Optional<BatchReads> batchReads() {
    return client.batchReads().map(reads -> new BatchReads() {
      @Override
      public Listing list(List<String> deploymentIds) {
        return guard("list", () -> reads.list(deploymentIds));
      }

      @Override
      public Observation observe(ListedDeployment listed, DesiredDeployment desired, Rollout known) {
        return guard("observe", () -> reads.observe(listed, desired, known));
      }
    });
  }

  @Override
  public Applied create(DesiredDeployment desired, String nonce) {
    return guard("create", () -> client.create(desired, nonce));
  }

  @Override
  public boolean echoesNonce() {
    return client.echoesNonce();
  }

  @Override
  public Applied update(String deploymentId, DesiredDeployment desired) {
    return guard("update", () -> client.update(deploymentId, desired));
  }

  @Override
  public boolean canRedeploy() {
    return client.canRedeploy();
  }

  @Override
  public boolean revisionExists(String deploymentId, String revisionId) {
    return guard("revisionExists", () -> client.revisionExists(deploymentId, revisionId));
  }

  @Override
  public Applied redeploy(String deploymentId, String revisionId) {
    return guard("redeploy", () -> client.redeploy(deploymentId, revisionId));
  }

  @Override
  public DeleteOutcome delete(String deploymentId, boolean deleteTracingProject) {
    return guard("delete", () -> client.delete(deploymentId, deleteTracingProject));
  }

  @Override
  public void checkAccess() {
    guard("checkAccess", () -> {
      client.checkAccess();
      return null;
    });
  }

  @Override
  public Optional<Duration> sinceLastAnswer() {
    return client.sinceLastAnswer();
  }
}

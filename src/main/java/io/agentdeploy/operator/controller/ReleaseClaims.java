package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.remote.ProviderAdapter;
import io.agentdeploy.operator.api.WriteAheadRecord;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteMatch;
import io.agentdeploy.operator.remote.SpecProblem;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Two AgentDeployments whose deploys would replace each other's (one Agentex agent's production
 * release in one account) never both deploy: the one that owns a live deploy of that release
 * keeps it, otherwise the older (creationTimestamp, then namespace/name) wins. The other sends
 * nothing and says who holds the release; it is looked at again every poll-max interval (no
 * watch tells it that the other resource went away), which costs no remote call.
 *
 * <p>A resource that records no deploy of its own (a first create, or a status lost to a restore
 * or a {@code kubectl replace}) also never deploys over a live production deploy of its agent that
 * no resource holds and that carries no nonce of its write-ahead record: whoever made it (by hand,
 * or this resource before its status was lost), it is adopted by id or removed, never replaced
 * blindly.
 */
final class ReleaseClaims {
  private final RemoteClients clients;
  /** The caches other resources' ControlPlanes and keys are read from (there once the controller starts). */
  private final Supplier<ReferenceWatches> watches;

  ReleaseClaims(RemoteClients clients, Supplier<ReferenceWatches> watches) {
    this.clients = clients;
    this.watches = watches;
  }

  /** @throws SpecProblem NameConflict naming the resource, or the deploy, that holds the release */
  void check(ReconcilePass p, RemoteDeploymentClient client) throws SpecProblem {
    ProviderAdapter adapter;
    try {
      adapter = clients.adapter(RemoteClients.providerOf(p.resource.getSpec()));
    } catch (SpecProblem invalid) {
      return;
    }
    Optional<String> name = adapter.exclusiveName(p.resource.getSpec());
    if (name.isEmpty()) {
      return;
    }
    String account = p.target.account().display();
    Optional<AgentDeployment> winner = p.context.getPrimaryCache().list()
        .filter(o -> !o.getMetadata().getUid().equals(p.resource.getMetadata().getUid()))
        .filter(o -> o.getMetadata().getDeletionTimestamp() == null && o.getSpec() != null)
        .filter(o -> sameProvider(o, adapter) && name.equals(adapter.exclusiveName(o.getSpec())))
        .filter(o -> sameAccount(o, p, account))
        .filter(o -> precedes(o, p.resource, p))
        .min(ReleaseClaims::order);
    if (winner.isPresent()) {
      String holder = winner.get().getMetadata().getNamespace() + "/" + winner.get().getMetadata().getName();
      throw new SpecProblem("NameConflict", "AgentDeployment " + holder + " already deploys agent " + name.get()
          + " in " + account + "; two resources would replace each other's deploys, so this one sends nothing "
          + "until that one is gone or renamed (or rename " + adapter.specPath() + ".name, or make this a preview)",
          true);
    }
    if (p.draft.status.getDeploymentId() == null
        && (p.draft.status.getHistory() == null || p.draft.status.getHistory().isEmpty())) {
      unclaimedDeploy(p, client, name.get(), adapter.specPath());
    }
  }

  /** A live deploy of the agent that neither this resource's record nor any other resource accounts for. */
  private static void unclaimedDeploy(ReconcilePass p, RemoteDeploymentClient client, String agent,
      String specPath) throws SpecProblem {
    String nonce = WriteAhead.open(p).map(WriteAheadRecord::getNonce).orElse(null);
    Optional<RemoteMatch> live = client.liveHolders(p.resource.getSpec()).stream()
        .filter(m -> nonce == null || !nonce.equals(m.nonce()))
        .filter(m -> Ownership.holderOf(p, m.deploymentId()).isEmpty()).findFirst();
    if (live.isPresent()) {
      String id = live.get().deploymentId();
      throw new SpecProblem("NameConflict", p.noun + " " + id + " of agent " + agent + " runs on the control plane "
          + "and this resource did not make it (it records no deploy, and " + id + " carries no nonce of its "
          + "write-ahead record); nothing is deployed over it. To manage it from this resource, set the annotation "
          + Annotations.ADOPT + ": " + id + "; otherwise delete it on the control plane, or rename " + specPath + ".name");
    }
  }

  private static boolean sameProvider(AgentDeployment other, ProviderAdapter adapter) {
    try {
      return RemoteClients.providerOf(other.getSpec()) == adapter.provider();
    } catch (SpecProblem invalid) {
      return false;
    }
  }

  /**
   * Its recorded account; not yet recorded (both applied together), the same ControlPlane or
   * the account its own ControlPlane addresses now.
   */
  private boolean sameAccount(AgentDeployment other, ReconcilePass p, String account) {
    if (other.getStatus() != null && other.getStatus().getAccount() != null) {
      return account.equals(other.getStatus().getAccount());
    }
    if (ControlPlaneUsers.sameControlPlane(other, p.resource)) {
      return true;
    }
    ReferenceWatches caches = watches.get();
    if (caches == null || other.getSpec().getControlPlaneRef() == null) {
      return false;
    }
    try {
      return account.equals(ControlPlaneAccess.accountFor(
          new ClusterReads(caches, other.getMetadata().getNamespace()), other.getSpec().getControlPlaneRef()).display());
    } catch (SpecProblem unresolved) {
      return false; // it cannot deploy either until its ControlPlane resolves
    }
  }

  /** True when {@code other} holds the release before {@code self}. */
  private static boolean precedes(AgentDeployment other, AgentDeployment self, ReconcilePass p) {
    boolean otherLive = ownsLiveDeploy(other);
    boolean selfLive = p.draft.status.getDeploymentId() != null && ownsLiveDeploy(self);
    if (otherLive != selfLive) {
      return otherLive;
    }
    return order(other, self) < 0;
  }

  private static boolean ownsLiveDeploy(AgentDeployment a) {
    return a.getStatus() != null && a.getStatus().getDeploymentId() != null
        && !"Failed".equals(a.getStatus().getPhase()) && !"Expired".equals(a.getStatus().getPhase());
  }

  private static int order(AgentDeployment a, AgentDeployment b) {
    return Comparator.<AgentDeployment, String>comparing(x -> Objects.toString(x.getMetadata().getCreationTimestamp(), ""))
        .thenComparing(x -> x.getMetadata().getNamespace() + "/" + x.getMetadata().getName()).compare(a, b);
  }
}

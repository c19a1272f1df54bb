package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The annotations users set on an AgentDeployment, and the event filter that lets a change of
 * them through: JOSDK's generation-aware filtering would otherwise drop annotation-only updates.
 */
public final class Annotations {
  /** "true": nothing is sent to the remote until removed; deletion still honours the finalizer. */
  public static final String PAUSED = "agentdeploy.io/paused";
  /** Any new value (e.g. a timestamp) asks for an immediate reconcile, acknowledged in status. */
  public static final String RECONCILE_REQUESTED_AT = "agentdeploy.io/reconcile-requested-at";
  /** "by-name", or a remote deployment id: adopt an existing deployment instead of reporting a conflict. */
  public static final String ADOPT = "agentdeploy.io/adopt";
  /**
   * Written by operator versions before the write-ahead record (status.writeAhead); still read,
   * so a create those versions started is recognised after an upgrade.
   */
  public static final String CREATE_INTENT = "agentdeploy.io/create-intent";
  /**
   * A first create's write-ahead record, written with the finalizer in one request (status cannot
   * be written in the same request); open only until a status records what the resource owns.
   */
  public static final String WRITE_AHEAD = "agentdeploy.io/write-ahead";
  /**
   * On a ControlPlane: the account (as ControlPlaneChanged messages print it) its resources may
   * move to after its base URL, tenant/account id or key changed.
   */
  public static final String ACCEPT_ACCOUNT = "agentdeploy.io/accept-account";

  private static final List<String> WATCHED = List.of(PAUSED, RECONCILE_REQUESTED_AT, ADOPT);

  private Annotations() {}

  public static String get(AgentDeployment resource, String name) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  public static boolean paused(AgentDeployment resource) {
    return "true".equalsIgnoreCase(get(resource, PAUSED));
  }

  /**
   * Reconcile on a spec change, on deletion, on our finalizer removed, and on a change of the user
   * annotations; not on our own status, finalizer or write-ahead writes (that would double every
   * reconcile).
   */
  public static boolean worthReconciling(AgentDeployment newResource, AgentDeployment oldResource) {
    if (!Objects.equals(newResource.getMetadata().getGeneration(), oldResource.getMetadata().getGeneration())) {
      return true;
    }
    // Our own finalizer write is no news; its removal by someone else on a live object is (it is put back).
    if (newResource.isMarkedForDeletion() || (Finalizer.present(oldResource) && !Finalizer.present(newResource))) {
      return true;
    }
    return WATCHED.stream().anyMatch(a -> !Objects.equals(get(newResource, a), get(oldResource, a)));
  }
}

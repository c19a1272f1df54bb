package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.RemoteException.Kind;
import io.agentdeploy.operator.remote.RemoteMatch;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a refused create means, decided by the ownership lookup and the status code, never by the
 * answer's text. A 400 or 409 may be "already exists" (our own create committed late, another
 * writer, a name taken) or a real refusal: the lookup runs first, as after a lost answer. A 422
 * is a validation error: rejected as it is.
 */
final class CreateRefusal {
  private CreateRefusal() {}

  /**
   * The lookup a refused create re-runs (none for a 422); anything that is no refusal (a
   * transient error, credentials) is rethrown as it is.
   */
  static List<RemoteMatch> lookUp(ReconcilePass p, RemoteDeploymentClient client, RemoteException e,
      Instant windowStart) {
    if (e.kind() != Kind.INVALID && e.kind() != Kind.CONFLICT) {
      throw e;
    }
    return e.httpStatus() == 400 || e.httpStatus() == 409 ? client.lookup(p.resource.getSpec(), windowStart)
        : List.of();
  }

  /**
   * When the lookup found nothing of this resource's own: a deployment that holds the name (on
   * remotes with unique names), or a 409, is a conflict the next pass's lookup settles (adopt,
   * {@code NameConflict}, wait for a deletion); a 400 or 422 is a rejection.
   */
  static RemoteException classify(ReconcilePass p, RemoteDeploymentClient client, RemoteException e,
      List<RemoteMatch> found) {
    Optional<RemoteMatch> holder = client.namesAreUnique()
        ? found.stream().filter(m -> p.desired.name().equals(m.name())).findFirst() : Optional.empty();
    if (holder.isPresent()) {
      return new RemoteException(Kind.CONFLICT, e.httpStatus(), e.getMessage() + " (the name is held by remote "
          + "deployment " + holder.get().deploymentId() + "; looking it up again)", null, e.requestId().orElse(null),
          null, e.apiDetail().orElse(null));
    }
    return e.httpStatus() == 409 ? e.as(Kind.CONFLICT) : e.as(Kind.INVALID);
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.WriteAheadRecord;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.Applied;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.RemoteMatch;
import io.agentdeploy.operator.remote.SpecProblem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create or adopt: looks up first, takes back what this resource's own write made when its answer
 * was lost (inside the write-ahead window, with its nonce where the remote echoes one), adopts
 * only when told to, reports a name taken by someone else, and otherwise records the write and
 * creates. On providers where a change is a new record (Agentex) updates come through here too.
 */
final class Creation {
  /** Value of the adopt annotation that adopts whatever live deployment has the spec's name. */
  static final String ADOPT_BY_NAME = "by-name";
  private static final Logger LOG = LoggerFactory.getLogger(Creation.class);

  /** What the step did: finished this pass, or found a deployment to continue with. */
  sealed interface Outcome {
    record Done(Duration requeue) implements Outcome {}
    /** @param adopted true when nothing proves the deployment runs this spec (apply it once) */
    record TookOver(Observation observation, boolean adopted) implements Outcome {}
  }

  private final OperatorConfig config;
  private final EventRecorder events;
  private final ObservationSource observer;
  private final WriteAhead writeAhead;
  private final ReleaseClaims claims;
  private final NoProgress noProgress;
  private final Adoption adoption;

  Creation(OperatorConfig config, EventRecorder events, ObservationSource observer, ReleaseClaims claims,
      NoProgress noProgress) {
    this.claims = claims;
    this.noProgress = noProgress;
    this.config = config;
    this.events = events;
    this.observer = observer;
    this.writeAhead = new WriteAhead(config);
    this.adoption = new Adoption(events, observer, writeAhead);
  }

  Outcome run(ReconcilePass p, RemoteDeploymentClient client, String reason) throws SpecProblem {
    Optional<WriteAheadRecord> open = WriteAhead.open(p).filter(r -> WriteAhead.CREATE.equals(r.getOperation()));
    // Where names are not unique (Agentex) matches only serve an open record: a first create has
    // none to look for (its release's live holders are ReleaseClaims' list), so it lists nothing here.
    List<RemoteMatch> matches = open.isEmpty() && !client.namesAreUnique() ? List.of()
        : client.lookup(p.resource.getSpec(), open.map(writeAhead::windowStart).orElse(p.now.minus(config.adoptSkew())));
    if (open.isPresent()) {
      Optional<RemoteMatch> ours = ours(p, client, open.get(), matches);
      if (ours.isPresent()) {
        return recover(p, client, ours.get(), open.get());
      }
      if (WriteAhead.mayBeInFlight(open.get(), p.now)) {
        // A create may still be in flight (ours before a crash, or another writer's): never a second one.
        p.draft.synced(false, "CreateInFlight", "a create sent at " + open.get().getLastAttempt()
            + " has no known outcome yet; looking it up again before sending anything");
        p.draft.phase("Creating");
        return new Outcome.Done(Duration.between(p.now, WriteAhead.inFlightUntil(open.get())).plusMillis(50));
      }
      Optional<RemoteMatch> unprovable = unprovable(p, client, open.get(), matches);
      if (unprovable.isPresent()) {
        // Where the remote drops the nonce comment, a lost create cannot be told from someone
        // else's deploy: wait with a reason rather than risk a duplicate.
        String message = p.noun + " " + unprovable.get().deploymentId() + " of " + p.desired.name() + " was made "
            + "while this resource's create had no known outcome, and it carries no write-ahead nonce (the control "
            + "plane may strip comments); it is not taken and no other deploy is made until it is adopted "
            + "(annotation " + Annotations.ADOPT + ": " + unprovable.get().deploymentId() + ") or removed";
        p.draft.synced(false, "CreateOutcomeUnknown", message);
        p.draft.phase("Pending");
        return new Outcome.Done(config.pollMax());
      }
    }
    String adopt = Annotations.get(p.resource, Annotations.ADOPT);
    if (client.namesAreUnique()) {
      List<RemoteMatch> named = matches.stream().filter(m -> p.desired.name().equals(m.name())).toList();
      Optional<RemoteMatch> live = named.stream().filter(m -> !m.deleting()).findFirst();
      if (live.isEmpty() && !named.isEmpty()) {
        String message = "a deployment named " + p.desired.name()
            + " is being deleted on the control plane; it will be created once that deletion completes";
        p.draft.ready(false, "RemoteDeleting", message);
        p.draft.synced(false, "RemoteDeleting", message);
        p.draft.phase("Pending");
        return new Outcome.Done(noProgress.next(p.key(), "RemoteDeleting " + named.get(0).deploymentId()));
      }
      if (live.isPresent() && live.get().deploymentId().equals(p.draft.status.getDeploymentId())) {
        // Our own deployment, back after a read said otherwise: take it as it is, no PATCH.
        return new Outcome.TookOver(observer.observe(client, live.get().deploymentId(), p.desired), false);
      }
      if (live.isPresent()) {
        return adoption.adopt(p, client, live.get(), adopt);
      }
    } else if (adopt != null && !ADOPT_BY_NAME.equals(adopt) && p.draft.status.getDeploymentId() == null) {
      return adoption.adoptById(p, client, adopt);
    }
    return create(p, client, reason, open);
  }

  /** A match is this write's only inside its window, in its account, with its nonce, held by no one else. */
  private Optional<RemoteMatch> ours(ReconcilePass p, RemoteDeploymentClient client, WriteAheadRecord record,
      List<RemoteMatch> matches) {
    String account = p.target.account().display();
    if (record.getAccount() != null && !record.getAccount().equals(account)) {
      return Optional.empty();
    }
    return matches.stream().filter(m -> !m.deleting() && writeAhead.inWindow(record, m.createdAt()))
        .filter(m -> client.echoesNonce() ? record.getNonce() != null && record.getNonce().equals(m.nonce())
            : p.desired.name().equals(m.name()))
        .filter(m -> Ownership.holderOf(p, m.deploymentId()).isEmpty()).findFirst();
  }

  /** On providers that echo the nonce: a same-named object in the window that carries none. */
  private Optional<RemoteMatch> unprovable(ReconcilePass p, RemoteDeploymentClient client, WriteAheadRecord record,
      List<RemoteMatch> matches) {
    if (!client.echoesNonce() || Annotations.get(p.resource, Annotations.ADOPT) != null) {
      return Optional.empty();
    }
    return matches.stream().filter(m -> !m.deleting() && m.nonce() == null && p.desired.name().equals(m.name())
        && writeAhead.inWindow(record, m.createdAt()) && Ownership.holderOf(p, m.deploymentId()).isEmpty())
        .findFirst();
  }

  private Outcome recover(ReconcilePass p, RemoteDeploymentClient client, RemoteMatch match, WriteAheadRecord record) {
    events.normal(p.resource, "Recovered", "found remote deployment " + match.deploymentId() + ", made by this "
        + "resource's own earlier create whose answer was lost; using it instead of creating another");
    LOG.info("{}: recovered remote deployment {} of an interrupted create", p.ref(), match.deploymentId());
    Observation observation = observer.observe(client, match.deploymentId(), p.desired);
    boolean sameState = p.desired.hash().equals(record.getDesiredStateHash());
    replaceRemote(p, match.deploymentId());
    if (sameState) {
      // The remote already runs what the lost write carried: no second write.
      p.draft.applied(match.deploymentId(), p.draft.status.getLatestRevisionId(), record.getDesiredStateHash());
    }
    if (p.recordPerChange) {
      History.add(p.draft.status, match.deploymentId(), record.getDesiredStateHash(), p.now);
    }
    WriteAhead.retire(p);
    AccountGuard.recordCurrent(p);
    return new Outcome.TookOver(observation, !sameState);
  }

  private Outcome create(ReconcilePass p, RemoteDeploymentClient client, String reason,
      Optional<WriteAheadRecord> open) throws SpecProblem {
    claims.check(p, client);
    WriteAheadRecord record = writeAhead.next(open, WriteAhead.CREATE, p.desired.name(), p.desired.hash(),
        p.target.account().display(), p.now);
    WriteAhead.persist(p, record);
    String replaced = p.draft.status.getDeploymentId();
    boolean replacedPreview = p.draft.status.getExpiresAt() != null;
    Applied applied;
    try {
      applied = client.create(p.desired, record.getNonce());
    } catch (RemoteException e) {
      if (Throttled.reserved(e)) {
        throw e; // not sent (the account's budget is spent): the record's window runs out, then a lookup
      } else if (e.httpStatus() != 0) {
        WriteAhead.answered(p);
      }
      // "Already exists" (another writer, a late commit) or a real rejection: the lookup tells.
      List<RemoteMatch> found = CreateRefusal.lookUp(p, client, e, writeAhead.windowStart(record));
      Optional<RemoteMatch> ours = ours(p, client, record, found);
      if (ours.isPresent()) {
        return recover(p, client, ours.get(), record);
      }
      WriteAhead.retireRefused(p);
      throw CreateRefusal.classify(p, client, e, found);
    }
    WriteAhead.retire(p);
    p.appliedEvent = new AppliedEvent(reason, ("Created".equals(reason) ? "created remote deployment " : "deployed ")
        + applied.deploymentId() + ("Created".equals(reason) && !applied.deploymentId().equals(applied.revisionId())
            ? " (revision " + applied.revisionId() + ")" : "")
        + ("Updated".equals(reason) ? " for generation " + p.resource.getMetadata().getGeneration() : "")
        + ("DriftCorrected".equals(reason) ? ": the remote no longer ran the spec" : ""));
    if (!p.recordPerChange) {
      replaceRemote(p, applied.deploymentId());
    }
    p.draft.applied(applied.deploymentId(), applied.revisionId(), p.desired.hash());
    p.draft.status.setLastRemoteEvent(null);
    AccountGuard.recordCurrent(p);
    History.add(p.draft.status, applied.revisionId(), p.desired.hash(), p.desired.deploymentHash(), p.now);
    if (replaced != null && replacedPreview && !replaced.equals(applied.deploymentId())) {
      ReplacedPreviews.delete(p, client, events, replaced);
    }
    p.draft.synced(true, "Applied", "created remote deployment " + applied.deploymentId());
    p.draft.ready(false, "Progressing", p.noun + " " + applied.revisionId() + " is rolling out");
    p.draft.phase("Creating");
    return observeNow(p, client, applied.deploymentId());
  }

  /** Reads the new deployment at once: on a fast remote its rollout is live, so this pass writes Ready. */
  private Outcome observeNow(ReconcilePass p, RemoteDeploymentClient client, String deploymentId) {
    try {
      Observation observation = observer.observe(p, client, deploymentId);
      return observation.exists() ? new Outcome.TookOver(observation, false) : new Outcome.Done(config.pollInitial());
    } catch (RemoteException e) {
      if (Throttled.reserved(e)) {
        throw e; // comes back when its token is due, with this pass's status kept (it sent a write)
      }
      return new Outcome.Done(config.pollInitial()); // created all the same; the next pass reads it
    }
  }

  /** Records {@code id}; what status said of a different, gone one is forgotten only now. */
  static void replaceRemote(ReconcilePass p, String id) {
    String old = p.draft.status.getDeploymentId();
    if (old != null && !old.equals(id)) {
      p.draft.clearRemote();
    }
    p.draft.status.setDeploymentId(id);
  }
}

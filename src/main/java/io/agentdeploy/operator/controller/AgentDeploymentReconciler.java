package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.DeletionPolicy;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.Applied;
import io.agentdeploy.operator.remote.DeleteOutcome;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.RemoteMatch;
import io.agentdeploy.operator.remote.Rollout;
import io.agentdeploy.operator.api.Provider;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The AgentDeployment state machine. Order of work: resolve references, validate, observe the
 * remote, create or update, map the observation to status, decide when to look again. Every
 * error path sets a condition, maybe an event, and a requeue; JOSDK's own retry is not relied on.
 */
@ControllerConfiguration(name = AgentDeploymentReconciler.NAME, finalizerName = AgentDeploymentReconciler.FINALIZER)
public class AgentDeploymentReconciler implements Reconciler<AgentDeployment>, Cleaner<AgentDeployment> {
  public static final String NAME = "agentdeployment";
  public static final String FINALIZER = "agentdeploy.io/finalizer";
  /** Written, with the resource's resourceVersion, before every create; see DESIGN.md §4.1. */
  public static final String INTENT_ANNOTATION = Annotations.CREATE_INTENT;
  /** Value of the adopt annotation that adopts whatever live deployment has the spec's name. */
  public static final String ADOPT_BY_NAME = "by-name";
  private static final String SECRETS = "secrets";
  private static final String CONTROL_PLANES = "controlplanes";
  private static final String CONFIG_MAPS = "configmaps";
  /** Agentex: how many created deploys status remembers (and deletes with the resource). */
  static final int DEPLOY_HISTORY = 10;
  private static final Logger LOG = LoggerFactory.getLogger(AgentDeploymentReconciler.class);

  private final OperatorConfig config;
  private final ControlPlaneAccess access;
  private final EventRecorder events;
  private final Clock clock;
  private final Backoff backoff;
  private final OperatorMetrics metrics;
  private ReferencedSecretStore secretStore;

  public AgentDeploymentReconciler(OperatorConfig config, RemoteClients clients, EventRecorder events, Clock clock,
      OperatorMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.access = new ControlPlaneAccess(clients);
    this.events = events;
    this.clock = clock;
    this.backoff = new Backoff(config.retryInitial(), config.retryMax());
  }

  @Override
  public List<EventSource<?, AgentDeployment>> prepareEventSources(EventSourceContext<AgentDeployment> context) {
    context.getPrimaryCache().addIndexer(References.SECRET_INDEX, References::secretKeys);
    context.getPrimaryCache().addIndexer(References.CONTROL_PLANE_INDEX, References::controlPlaneKeys);
    context.getPrimaryCache().addIndexer(References.CONFIG_MAP_INDEX, References::configMapKeys);
    var secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, AgentDeployment.class)
        .withName(SECRETS).withNamespacesInheritedFromController().withItemStore(secretStore = new ReferencedSecretStore(
            s -> !context.getPrimaryCache().byIndex(References.SECRET_INDEX, References.indexKey(s)).isEmpty()))
        .withSecondaryToPrimaryMapper((Secret s) -> primaries(context, References.SECRET_INDEX, References.indexKey(s)))
        .build(), context);
    var controlPlanes = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ControlPlane.class, AgentDeployment.class).withName(CONTROL_PLANES).withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper((ControlPlane cp) -> primaries(context, References.CONTROL_PLANE_INDEX,
            References.indexKey(cp.getMetadata().getNamespace(), cp.getMetadata().getName())))
        .build(), context);
    var configMaps = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ConfigMap.class, AgentDeployment.class).withName(CONFIG_MAPS).withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper((ConfigMap cm) -> primaries(context, References.CONFIG_MAP_INDEX,
            References.indexKey(cm.getMetadata().getNamespace(), cm.getMetadata().getName())))
        .build(), context);
    return List.of(secrets, controlPlanes, configMaps);
  }

  private static java.util.Set<ResourceID> primaries(EventSourceContext<AgentDeployment> context, String index,
      String key) {
    return context.getPrimaryCache().byIndex(index, key).stream().map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** Per-reconcile state: the resource (replaced after the intent write) and the status draft. */
  private final class Pass {
    AgentDeployment resource;
    final Context<AgentDeployment> context;
    final StatusDraft draft;
    final AgentDeploymentStatus before;
    final Instant now;
    DesiredDeployment desired;
    /** The newest warning the remote reported for the current deployment, for the Ready message. */
    String lastWarning;

    Pass(AgentDeployment resource, Context<AgentDeployment> context) {
      this.resource = resource;
      this.context = context;
      this.now = clock.instant();
      this.before = resource.getStatus() == null ? new AgentDeploymentStatus() : resource.getStatus();
      this.draft = new StatusDraft(before, resource.getMetadata().getGeneration(), now);
    }

    String key() {
      return resource.getMetadata().getUid();
    }

    String ref() {
      return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }

    Optional<Secret> secret(String name) {
      Optional<Secret> cached = ((InformerEventSource<Secret, AgentDeployment>) context.eventSourceRetriever()
          .getEventSourceFor(Secret.class, SECRETS)).get(new ResourceID(name, resource.getMetadata().getNamespace()));
      return secretStore.full(cached, context.getClient());
    }

    Optional<ControlPlane> controlPlane(String name) {
      return ((InformerEventSource<ControlPlane, AgentDeployment>) context.eventSourceRetriever()
          .getEventSourceFor(ControlPlane.class, CONTROL_PLANES)).get(new ResourceID(name, resource.getMetadata().getNamespace()));
    }

    @SuppressWarnings("unchecked")
    Optional<ConfigMap> configMap(String name) {
      return ((InformerEventSource<ConfigMap, AgentDeployment>) context.eventSourceRetriever()
          .getEventSourceFor(ConfigMap.class, CONFIG_MAPS)).get(new ResourceID(name, resource.getMetadata().getNamespace()));
    }

    /** What one rollout is called on this provider: a LangSmith revision, an Agentex deploy. */
    String noun() {
      return provider() == Provider.AGENTEX ? "deploy" : "revision";
    }

    Provider provider() {
      return resource.getSpec().getAgentex() != null ? Provider.AGENTEX : Provider.LANGSMITH;
    }

    RemoteDeploymentClient client(boolean requireReady) throws SpecProblem {
      return access.clientFor(resource.getMetadata().getNamespace(),
          resource.getSpec().getControlPlaneRef().getName(), provider(), this::controlPlane, this::secret,
          requireReady);
    }
  }

  @Override
  public UpdateControl<AgentDeployment> reconcile(AgentDeployment resource, Context<AgentDeployment> context) {
    io.agentdeploy.operator.runtime.Startup.reconcileStarted();
    Pass p = new Pass(resource, context);
    MDC.put("resource", p.ref());
    if (p.before.getDeploymentId() != null) {
      MDC.put("deploymentId", p.before.getDeploymentId());
    }
    try {
      return reconcile(p);
    } finally {
      MDC.remove("resource");
      MDC.remove("deploymentId");
    }
  }

  private UpdateControl<AgentDeployment> reconcile(Pass p) {
    Duration requeue;
    p.draft.status.setReconcileRequestHandled(Annotations.get(p.resource, Annotations.RECONCILE_REQUESTED_AT));
    if (Annotations.paused(p.resource)) {
      String message = "reconciliation is paused by the " + Annotations.PAUSED
          + " annotation; nothing is sent to the control plane until it is removed";
      p.draft.synced(false, "Paused", message);
      p.draft.phase("Paused");
      writeStatus(p);
      metrics.phase(p.key(), "Paused");
      return UpdateControl.<AgentDeployment>noUpdate();
    }
    try {
      requeue = sync(p);
      backoff.reset(p.key());
    } catch (SpecProblem problem) {
      requeue = onSpecProblem(p, problem);
    } catch (RemoteException e) {
      requeue = onRemoteError(p, e);
    }
    writeStatus(p);
    metrics.phase(p.key(), p.draft.status.getPhase());
    return UpdateControl.<AgentDeployment>noUpdate().rescheduleAfter(requeue.toMillis());
  }

  /**
   * Replaces the status when it changed, and only then (no writes on a quiet resync). A full
   * update rather than a patch, so fields that became empty are removed; JOSDK retries on a
   * conflict and caches the answer so the next reconcile never sees the old status.
   */
  private static void writeStatus(Pass p) {
    if (p.draft.status.equals(p.before)) {
      return;
    }
    AgentDeploymentStatus status = p.draft.status;
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(p.resource, p.context, r -> {
      r.setStatus(status);
      return r;
    });
  }

  private Duration sync(Pass p) throws SpecProblem {
    p.desired = DesiredStates.build(p.resource, p::secret, p::configMap);
    RemoteDeploymentClient client = p.client(true);
    if (p.desired.hash().equals(p.before.getRejectedStateHash())) {
      // Already refused by the remote: nothing is sent until the spec or a Secret changes.
      return config.resync();
    }
    String deploymentId = p.before.getDeploymentId();
    if (deploymentId != null) {
      Observation observation = client.observe(deploymentId, p.desired);
      reportRemoteEvents(p, observation);
      p.draft.status.setExpiresAt(observation.expiresAt() == null ? null : observation.expiresAt().toString());
      boolean specChanged = !p.desired.hash().equals(p.draft.status.getDesiredStateHash());
      if (!observation.exists() && observation.expired() && !specChanged) {
        String message = "the preview expired at " + observation.expiresAt() + "; it is not deployed again until "
            + "the spec changes (for example a new spec.agentex.preview.expiresAt)";
        p.draft.ready(false, "Expired", message);
        p.draft.synced(true, "Expired", message);
        p.draft.phase("Expired");
        return config.resync();
      } else if (!observation.exists()) {
        if (!observation.expired()) {
          events.warning(p.resource, "RemoteDeleted", "remote deployment " + deploymentId
              + " no longer exists (deleted outside the operator); creating it again");
        }
        p.draft.clearRemote();
      } else if (observation.deleting()) {
        String message = "remote deployment " + deploymentId + " is being deleted outside the operator; "
            + "it will be created again once the deletion completes";
        p.draft.ready(false, "RemoteDeleting", message);
        p.draft.synced(false, "RemoteDeleting", message);
        p.draft.phase("Pending");
        return config.pollInitial();
      } else {
        return syncExisting(p, client, observation, false);
      }
    }
    return createOrAdopt(p, client, "Created");
  }

  /** Adds a deploy this resource created to status (newest last, bounded). */
  private static void remember(Pass p, String deployId) {
    List<String> ids = new java.util.ArrayList<>(p.draft.status.getDeployIds() == null ? List.of()
        : p.draft.status.getDeployIds());
    ids.remove(deployId);
    ids.add(deployId);
    while (ids.size() > DEPLOY_HISTORY) {
      ids.remove(0);
    }
    p.draft.status.setDeployIds(ids);
  }

  /** Previews are never superseded by the remote: the operator deletes the one it replaced. */
  private void deleteReplacedPreview(Pass p, RemoteDeploymentClient client, String replaced) {
    try {
      client.delete(replaced, false);
      events.normal(p.resource, "PreviewReplaced", "deleted preview deploy " + replaced + ", replaced by a new one");
    } catch (RemoteException e) {
      // It stays in status.deployIds: deleted with the resource at the latest, or when it expires.
      events.warning(p.resource, "PreviewReplaced", "could not delete replaced preview deploy " + replaced + ": "
          + e.getMessage());
    }
  }

  /** Reports remote events (Agentex deploy events) once each, across restarts (marker in status). */
  private void reportRemoteEvents(Pass p, Observation observation) {
    List<io.agentdeploy.operator.remote.RemoteEvent> remote = observation.events();
    if (remote.isEmpty()) {
      return;
    }
    String last = p.draft.status.getLastRemoteEvent();
    int start = 0;
    for (int i = 0; i < remote.size(); i++) {
      if (remote.get(i).marker().equals(last)) {
        start = i + 1;
      }
    }
    for (int i = start; i < remote.size(); i++) {
      var e = remote.get(i);
      String message = "remote " + observation.deploymentId() + ": " + e.message();
      if (e.isWarning()) {
        events.warning(p.resource, "Remote" + e.reason(), message);
      } else {
        events.normal(p.resource, "Remote" + e.reason(), message);
      }
    }
    remote.stream().filter(io.agentdeploy.operator.remote.RemoteEvent::isWarning).reduce((a, b) -> b)
        .ifPresent(w -> p.lastWarning = w.reason() + ": " + w.message());
    p.draft.status.setLastRemoteEvent(remote.get(remote.size() - 1).marker());
  }

  /** The deployment exists: correct it if the spec changed or the remote drifted, then follow the rollout. */
  private Duration syncExisting(Pass p, RemoteDeploymentClient client, Observation observation, boolean adopted)
      throws SpecProblem {
    boolean specChanged = adopted ? p.desired.hasWriteOnlyValues()
        : !p.desired.hash().equals(p.draft.status.getDesiredStateHash());
    if ((specChanged || !observation.upToDate()) && client.updateCreatesNewRecord()) {
      // A new record per change (Agentex): same crash safety as a create (intent, then lookup).
      return createOrAdopt(p, client, specChanged ? "Updated" : "DriftCorrected");
    }
    if (specChanged || !observation.upToDate()) {
      Applied applied = client.update(observation.deploymentId(), p.desired);
      p.draft.applied(observation.deploymentId(), applied.revisionId(), p.desired.hash());
      if (specChanged) {
        events.normal(p.resource, "Updated", "applied generation " + p.resource.getMetadata().getGeneration()
            + " as revision " + applied.revisionId());
      } else {
        events.normal(p.resource, "DriftCorrected", "remote fields " + String.join(", ", observation.drift())
            + " differed from the spec; patched back as revision " + applied.revisionId());
      }
      p.draft.synced(true, "Applied", "spec applied as revision " + applied.revisionId());
      p.draft.ready(false, "Progressing", "revision " + applied.revisionId() + " is rolling out");
      p.draft.phase("Deploying");
      return config.pollInitial();
    }
    if (adopted) {
      p.draft.applied(observation.deploymentId(), p.draft.status.getLatestRevisionId(), p.desired.hash());
    }
    p.draft.synced(true, "Applied", "the remote deployment matches the spec");
    return followRollout(p, observation);
  }

  private Duration followRollout(Pass p, Observation observation) {
    AgentDeploymentStatus s = p.draft.status;
    Rollout rollout = observation.rollout();
    if (observation.url() != null) {
      s.setUrl(observation.url());
    }
    if (rollout == null) {
      p.draft.ready(false, "Progressing", "waiting for the control plane to create the first revision");
      p.draft.phase("Creating");
      return config.pollInitial();
    }
    if (!Objects.equals(rollout.revisionId(), s.getLatestRevisionId())) {
      // A revision we did not create (build on push, the UI): follow it from now.
      s.setLatestRevisionId(rollout.revisionId());
      s.setRolloutStartedAt(p.now.toString());
    }
    String previousStatus = p.before.getRevisionStatus();
    boolean sameRevision = Objects.equals(p.before.getLatestRevisionId(), rollout.revisionId());
    s.setActiveRevisionId(rollout.activeRevisionId());
    s.setRevisionStatus(rollout.status());
    switch (rollout.phase()) {
      case SUCCEEDED -> {
        if (rollout.isLive()) {
          if (!(sameRevision && Objects.equals(previousStatus, rollout.status()))) {
            events.normal(p.resource, "RevisionDeployed", p.noun() + " " + rollout.revisionId() + " is live");
            metrics.rolloutCompleted(rolloutElapsed(p));
          }
          p.draft.ready(true, "Deployed", p.noun() + " " + rollout.revisionId() + " is live");
          p.draft.phase("Ready");
          return config.resync();
        }
        p.draft.ready(false, "Progressing", p.noun() + " " + rollout.revisionId() + " is "
            + rollout.status() + " and not yet serving");
        p.draft.phase("Deploying");
        return pollInterval(p);
      }
      case FAILED -> {
        String message = p.noun() + " " + rollout.revisionId() + " ended in " + rollout.status()
            + (p.lastWarning != null ? " (" + p.lastWarning + ")" : "")
            + "; change the spec to roll out a new " + p.noun()
            + (rollout.activeRevisionId() != null ? " (" + p.noun() + " " + rollout.activeRevisionId() + " keeps serving)" : "");
        if (!(sameRevision && Objects.equals(previousStatus, rollout.status()))) {
          events.warning(p.resource, "RevisionFailed", message);
        }
        p.draft.ready(false, "RevisionFailed", message);
        p.draft.phase("Failed");
        return config.resync();
      }
      default -> {
        Duration elapsed = rolloutElapsed(p);
        if (elapsed.compareTo(config.progressDeadline()) > 0) {
          String message = p.noun() + " " + rollout.revisionId() + " is still " + rollout.status() + " after "
              + elapsed.toMinutes() + " minutes (deadline " + config.progressDeadline().toMinutes() + " minutes)";
          if (!"ProgressDeadlineExceeded".equals(readyReason(p.before))) {
            events.warning(p.resource, "ProgressDeadlineExceeded", message);
          }
          p.draft.ready(false, "ProgressDeadlineExceeded", message);
          p.draft.phase("Failed");
          return config.pollMax();
        }
        p.draft.ready(false, "Progressing", p.noun() + " " + rollout.revisionId() + " is " + rollout.status()
            + (p.lastWarning != null ? " (last warning: " + p.lastWarning + ")" : ""));
        p.draft.phase("Deploying");
        return pollInterval(p);
      }
    }
  }

  /** Creates the deployment, unless the lookup by name finds one to adopt or one in the way. */
  private Duration createOrAdopt(Pass p, RemoteDeploymentClient client, String reason) throws SpecProblem {
    Instant intent = intentOf(p.resource);
    List<RemoteMatch> matches = client.findByName(p.desired);
    if (!client.namesAreUnique()) {
      // Without unique names only a record made after our intent whose answer was lost is ours;
      // records this resource already knows, and everything else, are history, not conflicts.
      List<String> known = ownedIds(p.draft.status);
      matches = matches.stream().filter(m -> intent != null && m.createdAt() != null
          && !m.createdAt().isBefore(intent.minus(config.adoptSkew())) && !known.contains(m.deploymentId())
          && holderOf(p, m.deploymentId()).isEmpty()).toList();
    }
    Optional<RemoteMatch> live = matches.stream().filter(m -> !m.deleting()).findFirst();
    if (live.isEmpty() && !matches.isEmpty()) {
      String message = "a deployment named " + p.desired.name()
          + " is being deleted on the control plane; it will be created once that deletion completes";
      p.draft.ready(false, "RemoteDeleting", message);
      p.draft.synced(false, "RemoteDeleting", message);
      p.draft.phase("Pending");
      return config.pollInitial();
    }
    String adopt = Annotations.get(p.resource, Annotations.ADOPT);
    if (adopt != null && !ADOPT_BY_NAME.equals(adopt)) {
      live = live.filter(m -> m.deploymentId().equals(adopt));
      if (live.isEmpty()) {
        throw new SpecProblem("AdoptionFailed", "the " + Annotations.ADOPT + " annotation names deployment " + adopt
            + ", but no live deployment with that id is named " + p.desired.name() + " on the control plane");
      }
    }
    if (live.isPresent()) {
      RemoteMatch match = live.get();
      Optional<String> holder = holderOf(p, match.deploymentId());
      boolean recovered = intent != null && match.createdAt() != null
          && !match.createdAt().isBefore(intent.minus(config.adoptSkew())) && holder.isEmpty();
      boolean adopted = adopt != null && holder.isEmpty();
      if (!recovered && !adopted) {
        throw new SpecProblem("NameConflict", "a deployment named " + p.desired.name()
            + " already exists on the control plane (id " + match.deploymentId() + ") and this resource did not "
            + "create it" + holder.map(h -> "; it is managed by AgentDeployment " + h
                + ", rename spec.langsmith.name")
                .orElse("; to manage it from this resource, set the annotation " + Annotations.ADOPT + ": "
                    + ADOPT_BY_NAME + " (or its id), otherwise rename spec.langsmith.name"));
      }
      if (recovered) {
        events.normal(p.resource, "Recovered", "found remote deployment " + match.deploymentId()
            + ", created after this resource's recorded create intent (an earlier create whose answer was lost); "
            + "using it instead of creating another");
      } else {
        events.normal(p.resource, "Adopted", "adopted existing remote deployment " + match.deploymentId()
            + " as asked by the " + Annotations.ADOPT + " annotation");
      }
      LOG.info("{}: taking over remote deployment {} ({})", p.ref(), match.deploymentId(),
          recovered ? "interrupted create" : "adoption");
      p.draft.status.setDeploymentId(match.deploymentId());
      if (client.updateCreatesNewRecord()) {
        remember(p, match.deploymentId());
      }
      return syncExisting(p, client, client.observe(match.deploymentId(), p.desired), true);
    }
    p.resource = recordIntent(p);
    String replaced = p.draft.status.getDeploymentId();
    boolean replacedPreview = p.draft.status.getExpiresAt() != null;
    Applied applied = client.create(p.desired);
    events.normal(p.resource, reason, ("Created".equals(reason) ? "created remote deployment " : "deployed ")
        + applied.deploymentId() + ("Created".equals(reason) && !applied.deploymentId().equals(applied.revisionId())
            ? " (revision " + applied.revisionId() + ")" : "")
        + ("Updated".equals(reason) ? " for generation " + p.resource.getMetadata().getGeneration() : "")
        + ("DriftCorrected".equals(reason) ? ": the remote no longer ran the spec" : ""));
    p.draft.applied(applied.deploymentId(), applied.revisionId(), p.desired.hash());
    p.draft.status.setLastRemoteEvent(null);
    if (client.updateCreatesNewRecord()) {
      remember(p, applied.deploymentId());
      if (replaced != null && replacedPreview && !replaced.equals(applied.deploymentId())) {
        deleteReplacedPreview(p, client, replaced);
      }
    }
    p.draft.synced(true, "Applied", "created remote deployment " + applied.deploymentId());
    p.draft.ready(false, "Progressing", p.noun() + " " + applied.revisionId() + " is rolling out");
    p.draft.phase("Creating");
    return config.pollInitial();
  }

  /**
   * Writes the create intent with the resourceVersion we read, so a stale writer (a second
   * operator instance, an old cache) fails with 409 instead of creating a duplicate.
   */
  private AgentDeployment recordIntent(Pass p) {
    String patch = "{\"metadata\":{\"resourceVersion\":\"" + p.resource.getMetadata().getResourceVersion()
        + "\",\"annotations\":{\"" + INTENT_ANNOTATION + "\":\"" + p.now + "\"}}}";
    AgentDeployment updated = p.context.getClient().resources(AgentDeployment.class)
        .inNamespace(p.resource.getMetadata().getNamespace()).withName(p.resource.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    updated.setStatus(p.resource.getStatus());
    return updated;
  }

  static Instant intentOf(AgentDeployment resource) {
    String value = resource.getMetadata().getAnnotations() == null ? null
        : resource.getMetadata().getAnnotations().get(INTENT_ANNOTATION);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (RuntimeException unparseable) {
      return null;
    }
  }

  /** Another AgentDeployment that already records {@code deploymentId} in its status. */
  private static Optional<String> holderOf(Pass p, String deploymentId) {
    String uid = p.resource.getMetadata().getUid();
    return p.context.getPrimaryCache().list()
        .filter(other -> !uid.equals(other.getMetadata().getUid()))
        .filter(other -> other.getStatus() != null && deploymentId.equals(other.getStatus().getDeploymentId()))
        .map(other -> other.getMetadata().getNamespace() + "/" + other.getMetadata().getName()).findFirst();
  }

  private Duration onSpecProblem(Pass p, SpecProblem problem) {
    p.draft.synced(false, problem.reason(), problem.getMessage());
    if ("ControlPlaneNotReady".equals(problem.reason()) && p.desired != null) {
      // The deployment keeps running while the ControlPlane check fails (often a passing outage).
      notYetApplied(p, problem.getMessage());
      if (p.draft.status.getDeploymentId() == null) {
        p.draft.ready(false, problem.reason(), problem.getMessage());
      }
    } else {
      p.draft.ready(false, problem.reason(), problem.getMessage());
    }
    boolean waiting = problem.reason().startsWith("ControlPlane") || problem.reason().startsWith("Secret")
        || problem.reason().startsWith("ConfigMap");
    if (p.draft.status.getDeploymentId() == null || !waiting) {
      p.draft.phase(waiting ? "Pending" : "Error");
    }
    if (!problem.reason().equals(syncedReason(p.before))) {
      events.warning(p.resource, problem.reason(), problem.getMessage());
    }
    // The watches on Secrets and ControlPlanes bring the resource back as soon as they change.
    return config.resync();
  }

  private Duration onRemoteError(Pass p, RemoteException e) {
    String message = e.getMessage() + e.requestId().map(id -> " (request id " + id + ")").orElse("");
    if (e.isTransient() || e.kind() == RemoteException.Kind.UNAUTHORIZED || e.kind() == RemoteException.Kind.NOT_FOUND) {
      notYetApplied(p, message);
    }
    switch (e.kind()) {
      case INVALID -> {
        p.draft.synced(false, "RemoteRejected", message + "; fix the spec, it is not sent again until it changes");
        p.draft.ready(false, "RemoteRejected", message);
        p.draft.phase("Error");
        if (p.desired != null) {
          p.draft.status.setRejectedStateHash(p.desired.hash());
        }
        events.warning(p.resource, "RemoteRejected", message);
        return config.resync();
      }
      case RATE_LIMITED -> {
        p.draft.synced(false, "RateLimited", "the control plane asked to slow down; retrying later");
        Duration wait = e.retryAfter().orElse(config.retryInitial());
        return wait.plusMillis(ThreadLocalRandom.current().nextLong(wait.toMillis() / 10 + 100));
      }
      case ROLLOUT_IN_PROGRESS -> {
        p.draft.synced(false, "RolloutInProgress",
            "the control plane accepts the change once the current revision finishes: " + message);
        return backoff.next(p.key());
      }
      case UNAUTHORIZED -> {
        p.draft.synced(false, "Unauthorized", "the control plane refused the API key of ControlPlane "
            + p.resource.getSpec().getControlPlaneRef().getName() + ": " + message);
        events.warning(p.resource, "Unauthorized", message);
        return backoff.next(p.key());
      }
      default -> {
        p.draft.synced(false, "RemoteUnavailable", "the control plane did not answer successfully; retrying: "
            + message);
        LOG.info("{}: remote call failed, retrying with backoff: {}", p.ref(), message);
        return backoff.next(p.key());
      }
    }
  }

  /**
   * A transient failure keeps Ready as it was when the remote already runs what the spec asks
   * (a failed read changes nothing); when the spec changed and could not be applied, the live
   * revision no longer matches it, so Ready turns False.
   */
  private static void notYetApplied(Pass p, String message) {
    if (p.desired != null && !p.desired.hash().equals(p.draft.status.getDesiredStateHash())) {
      p.draft.ready(false, "UpdatePending", "generation " + p.resource.getMetadata().getGeneration()
          + " is not applied yet: " + message);
      p.draft.phase("Pending");
    }
  }

  private Duration rolloutElapsed(Pass p) {
    String started = p.draft.status.getRolloutStartedAt();
    if (started == null) {
      p.draft.status.setRolloutStartedAt(p.now.toString());
      return Duration.ZERO;
    }
    try {
      return Duration.between(Instant.parse(started), p.now);
    } catch (RuntimeException unparseable) {
      return Duration.ZERO;
    }
  }

  /** Adaptive polling: as long as the rollout has taken so far, within [pollInitial, pollMax]. */
  private Duration pollInterval(Pass p) {
    Duration elapsed = rolloutElapsed(p);
    if (elapsed.compareTo(config.pollInitial()) < 0) {
      return config.pollInitial();
    }
    return elapsed.compareTo(config.pollMax()) > 0 ? config.pollMax() : elapsed;
  }

  private static String readyReason(AgentDeploymentStatus status) {
    return Conditions.find(status.getConditions(), Conditions.READY).map(c -> c.getReason()).orElse(null);
  }

  private static String syncedReason(AgentDeploymentStatus status) {
    return Conditions.find(status.getConditions(), Conditions.SYNCED).map(c -> c.getReason()).orElse(null);
  }

  // ---------------------------------------------------------------- deletion

  @Override
  public DeleteControl cleanup(AgentDeployment resource, Context<AgentDeployment> context) {
    Pass p = new Pass(resource, context);
    MDC.put("resource", p.ref());
    if (p.before.getDeploymentId() != null) {
      MDC.put("deploymentId", p.before.getDeploymentId());
    }
    try {
      return cleanup(p);
    } finally {
      MDC.remove("resource");
      MDC.remove("deploymentId");
    }
  }

  private DeleteControl cleanup(Pass p) {
    AgentDeployment resource = p.resource;
    if (resource.getSpec().effectiveDeletionPolicy() == DeletionPolicy.Orphan) {
      events.normal(resource, "Orphaned", "deletionPolicy is Orphan: remote deployment "
          + Optional.ofNullable(p.before.getDeploymentId()).orElse("(none)") + " is left untouched");
      return release(p);
    }
    try {
      List<String> owned = ownedIds(p.before);
      Instant intent = intentOf(resource);
      if (owned.isEmpty() && intent == null) {
        return release(p);
      }
      RemoteDeploymentClient client = p.client(false);
      if (owned.isEmpty()) {
        // A create may have reached the remote without its answer reaching us.
        Optional<RemoteMatch> ours = lostCreate(p, client, intent);
        if (ours.isEmpty()) {
          return release(p);
        }
        owned = List.of(ours.get().deploymentId());
      }
      boolean tracing = resource.getSpec().getLangsmith() != null
          && Boolean.TRUE.equals(resource.getSpec().getLangsmith().getDeleteTracingProject());
      List<String> pending = new java.util.ArrayList<>();
      for (String id : owned) {
        Observation observation = client.observe(id, null);
        if (!observation.exists()) {
          continue;
        }
        if (observation.deleting()) {
          pending.add(id);
        } else if (client.delete(id, tracing) != DeleteOutcome.GONE) {
          events.normal(resource, "Deleting", "asked the control plane to delete remote deployment " + id);
          pending.add(id);
        }
      }
      if (pending.isEmpty()) {
        events.normal(resource, "Deleted", "remote deployment" + (owned.size() > 1 ? "s " : " ")
            + String.join(", ", owned) + (owned.size() > 1 ? " are" : " is") + " gone");
        return release(p);
      }
      String deploymentId = String.join(", ", pending);
      Duration elapsed = deletionElapsed(resource, p.now);
      if (elapsed.compareTo(config.deleteWarnAfter()) > 0) {
        events.warning(resource, "DeleteStuck", "remote deployment " + deploymentId + " is still being deleted after "
            + elapsed.toMinutes() + " minutes; check the control plane, or set spec.deletionPolicy: Orphan to "
            + "release this resource and leave the remote deployment as it is");
      }
      String message = "waiting for the control plane to finish deleting " + deploymentId;
      p.draft.ready(false, "Deleting", message);
      p.draft.synced(true, "Deleting", message);
      p.draft.phase("Deleting");
      backoff.reset(p.key());
      metrics.phase(p.key(), "Deleting");
      return keep(p, elapsed.compareTo(config.pollMax()) > 0 ? config.pollMax()
          : elapsed.compareTo(config.pollInitial()) < 0 ? config.pollInitial() : elapsed);
    } catch (SpecProblem problem) {
      String message = "cannot delete the remote deployment: " + problem.getMessage()
          + "; restore it, or set spec.deletionPolicy: Orphan to release this resource";
      p.draft.synced(false, problem.reason(), message);
      p.draft.phase("Deleting");
      events.warning(resource, "DeleteBlocked", message);
      return keep(p, backoff.next(p.key()));
    } catch (RemoteException e) {
      String message = "deleting the remote deployment failed: " + e.getMessage();
      p.draft.synced(false, e.kind() == RemoteException.Kind.RATE_LIMITED ? "RateLimited" : "DeleteFailed", message);
      p.draft.phase("Deleting");
      events.warning(resource, "DeleteFailed", message);
      Duration wait = e.retryAfter().filter(d -> e.kind() == RemoteException.Kind.RATE_LIMITED)
          .orElseGet(() -> backoff.next(p.key()));
      return keep(p, wait);
    }
  }

  /** Everything this resource created that may still exist: the current deployment and, for Agentex, its history. */
  private static List<String> ownedIds(AgentDeploymentStatus status) {
    java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
    if (status.getDeployIds() != null) {
      ids.addAll(status.getDeployIds());
    }
    if (status.getDeploymentId() != null) {
      ids.add(status.getDeploymentId());
    }
    return List.copyOf(ids);
  }

  /** A deployment created after the recorded intent whose answer was lost, if the spec still resolves. */
  private Optional<RemoteMatch> lostCreate(Pass p, RemoteDeploymentClient client, Instant intent) {
    DesiredDeployment desired;
    try {
      desired = DesiredStates.build(p.resource, p::secret, p::configMap);
    } catch (SpecProblem unresolvable) {
      LOG.warn("{}: cannot look for a lost create ({}); nothing recorded to delete", p.ref(),
          unresolvable.getMessage());
      return Optional.empty();
    }
    return client.findByName(desired).stream()
        .filter(m -> m.createdAt() != null && !m.createdAt().isBefore(intent.minus(config.adoptSkew())))
        .filter(m -> holderOf(p, m.deploymentId()).isEmpty()).findFirst();
  }

  private DeleteControl release(Pass p) {
    backoff.reset(p.key());
    metrics.phase(p.key(), null);
    events.forget(p.resource);
    return DeleteControl.defaultDelete();
  }

  private DeleteControl keep(Pass p, Duration requeue) {
    try {
      writeStatus(p);
    } catch (KubernetesClientException e) {
      // The resource may vanish under us once another actor removes the last finalizer.
      LOG.debug("{}: could not write status during deletion: {}", p.ref(), e.getMessage());
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(requeue.toMillis());
  }

  private static Duration deletionElapsed(AgentDeployment resource, Instant now) {
    String ts = resource.getMetadata().getDeletionTimestamp();
    if (ts == null) {
      return Duration.ZERO;
    }
    try {
      return Duration.between(OffsetDateTime.parse(ts).toInstant(), now);
    } catch (RuntimeException unparseable) {
      return Duration.ZERO;
    }
  }
}

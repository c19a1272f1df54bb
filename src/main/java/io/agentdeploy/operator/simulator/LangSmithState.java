package io.agentdeploy.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The simulated LangSmith control plane: deployments and revisions per tenant. Time drives it
 * lazily: a revision's status is computed from when it started and the configured step duration,
 * so reads are deterministic for a given clock and nothing runs in the background.
 */
public final class LangSmithState {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> BUILD_STEPS =
      List.of("CREATING", "QUEUED", "AWAITING_BUILD", "BUILDING", "AWAITING_DEPLOY", "DEPLOYING");
  private static final List<String> IMAGE_STEPS = List.of("CREATING", "QUEUED", "AWAITING_DEPLOY", "DEPLOYING");
  /** A redeployed (cloned) revision: nothing is built, it starts at the deploy steps. */
  private static final List<String> REDEPLOY_STEPS = List.of("AWAITING_DEPLOY", "DEPLOYING", "DEPLOYED");

  private final SimulatorConfig config;
  private final Clock clock;
  private final Random ids;
  private final Map<String, Deployment> deployments = new LinkedHashMap<>();
  /**
   * The same deployments by tenant and name, for the create's name check: a scan of the store per
   * create made a benchmark's creates quadratic. A list, as an out-of-band create may repeat a name.
   */
  private final Map<String, List<Deployment>> named = new java.util.HashMap<>();
  /**
   * The same deployments by every three-character piece of their name, for {@code name_contains}:
   * the operator lists by name before each create, and the scan of the whole store each of those
   * made was most of the simulator's CPU at 10,000 resources (C1-compiled, in the benchmark). It
   * gives candidates, each still checked with contains; insertion-ordered, so ties in creation time
   * keep the order a scan gave them.
   */
  private final Map<String, java.util.Set<Deployment>> byTrigram = new java.util.HashMap<>();
  private static final int TRIGRAM = 3;
  /** The deployments marked deleted and not yet purged (what {@link #purgeExpired} looks at). */
  private final java.util.Set<Deployment> marked = new java.util.LinkedHashSet<>();
  /** Detail of the 400 a PATCH meets during a rollout (REJECT mode); null for the default text. */
  private volatile String rolloutBusyDetail;
  /** While set, every revision-creating PATCH answers 400 with this detail (a test control). */
  private volatile String revisionChangeRefusal;
  private volatile boolean ignoreDeploymentIds;
  private final java.util.Set<String> tracingProjectsDeleted = new java.util.HashSet<>();
  private StoredForm storedForm = StoredForm.AS_SENT;
  /** What latest_revision_id reads for these deployments instead of their own (a test control); empty: null. */
  private final Map<String, Optional<String>> latestShownAs = new java.util.HashMap<>();

  LangSmithState(SimulatorConfig config) {
    this.config = config;
    this.clock = config.clock();
    this.ids = new Random(config.seed());
  }

  /** One revision: its status is a function of time. */
  static final class Revision {
    final String id;
    final Instant createdAt;
    final Instant startAt;
    final List<String> steps;
    final String source;
    final ObjectNode config;
    final Duration step;
    /** When a REUSE redeploy makes this (already DEPLOYED) revision active again; null if never. */
    Instant reactivatedAt;
    /** Removed by {@link LangSmithState#removeRevision} (a test control): 404 from then on. */
    boolean removed;

    Revision(String id, Instant createdAt, Instant startAt, List<String> steps, String source, ObjectNode config,
        Duration step) {
      this.id = id;
      this.createdAt = createdAt;
      this.startAt = startAt;
      this.steps = steps;
      this.source = source;
      this.config = config;
      this.step = step;
    }

    String status(Instant now) {
      if (now.isBefore(startAt)) {
        return "QUEUED";
      }
      if (step.isZero()) {
        return steps.get(steps.size() - 1); // an instant remote: every step is done at once, as terminal() says
      }
      long index = Duration.between(startAt, now).toNanos() / step.toNanos();
      return steps.get((int) Math.min(index, steps.size() - 1));
    }

    Instant finishedAt() {
      return startAt.plus(step.multipliedBy(steps.size() - 1L));
    }

    boolean terminal(Instant now) {
      return !now.isBefore(finishedAt());
    }

    String outcome() {
      return steps.get(steps.size() - 1);
    }

    /** Since when this revision serves, as of {@code now}: its last activation that has happened, or null. */
    Instant activeSince(Instant now) {
      if (!terminal(now) || !"DEPLOYED".equals(outcome())) {
        return null;
      }
      return reactivatedAt != null && !now.isBefore(reactivatedAt) ? reactivatedAt : finishedAt();
    }

    /** Whether a rollout of this revision is still going on: not terminal yet, or a reactivation is pending. */
    boolean inProgress(Instant now) {
      return !terminal(now) || (reactivatedAt != null && now.isBefore(reactivatedAt));
    }
  }

  static final class Deployment {
    final String id;
    final String tenant;
    final String name;
    final String source;
    ObjectNode sourceConfig;
    ArrayNode secrets;
    JsonNode secretReferences;
    final Instant createdAt;
    Instant updatedAt;
    final List<Revision> revisions = new ArrayList<>();
    /** The latest revision: the newest one, or the target of a REUSE redeploy. */
    Revision latest;
    Instant deletedAt;
    boolean deleteTracingProject;

    Deployment(String id, String tenant, String name, String source, Instant createdAt) {
      this.id = id;
      this.tenant = tenant;
      this.name = name;
      this.source = source;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
    }

    Revision latest() {
      return latest;
    }

    /** A revision the API still shows (not removed), by id. */
    Optional<Revision> revision(String revisionId) {
      return revisions.stream().filter(r -> !r.removed && r.id.equals(revisionId)).findFirst();
    }
  }

  Instant now() {
    return clock.instant();
  }

  String newId() {
    return new UUID((ids.nextLong() & ~0xF000L) | 0x4000L, (ids.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
        .toString();
  }

  /** Drops deployments whose deletion has completed. */
  synchronized void purgeExpired() {
    if (marked.isEmpty()) {
      return;
    }
    Instant now = now();
    // Only the deployments marked deleted: every request purges, and the store may hold thousands.
    for (var it = marked.iterator(); it.hasNext(); ) {
      Deployment d = it.next();
      if (!now.isBefore(d.deletedAt.plus(config.deletionDelay()))) {
        if (deployments.remove(d.id, d)) {
          unindex(d);
        }
        it.remove();
      }
    }
  }

  synchronized Optional<Deployment> find(String tenant, String id) {
    purgeExpired();
    Deployment d = deployments.get(id);
    return d != null && d.tenant.equals(tenant) ? Optional.of(d) : Optional.empty();
  }

  synchronized List<Deployment> list(String tenant) {
    return list(tenant, d -> true);
  }

  /** The tenant's deployments that pass {@code filter}, newest first (filtered before sorting). */
  synchronized List<Deployment> list(String tenant, java.util.function.Predicate<Deployment> filter) {
    purgeExpired();
    // A plain loop over the whole store (thousands in a benchmark); name_contains has its own index.
    List<Deployment> out = new ArrayList<>();
    for (Deployment d : deployments.values()) {
      if (d.tenant.equals(tenant) && filter.test(d)) {
        out.add(d);
      }
    }
    return newestFirst(out);
  }

  /**
   * The tenant's deployments whose name contains {@code part} and that pass {@code filter}, newest
   * first: the same answer as a scan, from the candidates of the rarest of the part's trigrams.
   */
  synchronized List<Deployment> listNameContaining(String tenant, String part,
      java.util.function.Predicate<Deployment> filter) {
    if (part.length() < TRIGRAM) {
      return list(tenant, d -> d.name.contains(part) && filter.test(d));
    }
    purgeExpired();
    java.util.Set<Deployment> fewest = null;
    for (int i = 0; i + TRIGRAM <= part.length(); i++) {
      java.util.Set<Deployment> with = byTrigram.get(part.substring(i, i + TRIGRAM));
      if (with == null) {
        return List.of();
      }
      if (fewest == null || with.size() < fewest.size()) {
        fewest = with;
      }
    }
    List<Deployment> out = new ArrayList<>();
    for (Deployment d : fewest) {
      if (d.tenant.equals(tenant) && d.name.contains(part) && filter.test(d)) {
        out.add(d);
      }
    }
    return newestFirst(out);
  }

  /** The tenant's deployments among {@code ids} that pass {@code filter}, newest first. */
  synchronized List<Deployment> listIds(String tenant, java.util.Set<String> ids,
      java.util.function.Predicate<Deployment> filter) {
    purgeExpired();
    List<Deployment> out = new ArrayList<>();
    for (String id : ids) {
      Deployment d = deployments.get(id);
      if (d != null && d.tenant.equals(tenant) && filter.test(d)) {
        out.add(d);
      }
    }
    return newestFirst(out);
  }

  private static final Comparator<Deployment> NEWEST_FIRST = Comparator.comparing((Deployment d) -> d.createdAt).reversed();

  private static List<Deployment> newestFirst(List<Deployment> deployments) {
    deployments.sort(NEWEST_FIRST);
    return java.util.Collections.unmodifiableList(deployments);
  }

  /** The newest of the tenant's deployments named {@code name}. */
  synchronized Optional<Deployment> byName(String tenant, String name) {
    purgeExpired();
    List<Deployment> same = named.get(nameKey(tenant, name));
    return same == null ? Optional.empty() : newestFirst(new ArrayList<>(same)).stream().findFirst();
  }

  private static String nameKey(String tenant, String name) {
    return tenant + '\u0000' + name;
  }

  private void index(Deployment d) {
    named.computeIfAbsent(nameKey(d.tenant, d.name), k -> new ArrayList<>(1)).add(d);
    for (int i = 0; i + TRIGRAM <= d.name.length(); i++) {
      byTrigram.computeIfAbsent(d.name.substring(i, i + TRIGRAM), k -> new java.util.LinkedHashSet<>()).add(d);
    }
  }

  private void unindex(Deployment d) {
    List<Deployment> same = named.get(nameKey(d.tenant, d.name));
    if (same != null && same.remove(d) && same.isEmpty()) {
      named.remove(nameKey(d.tenant, d.name));
    }
    for (int i = 0; i + TRIGRAM <= d.name.length(); i++) {
      String trigram = d.name.substring(i, i + TRIGRAM);
      java.util.Set<Deployment> with = byTrigram.get(trigram);
      if (with != null && with.remove(d) && with.isEmpty()) {
        byTrigram.remove(trigram);
      }
    }
  }

  synchronized Deployment create(String tenant, String name, String source, ObjectNode sourceConfig,
      ObjectNode revisionConfig, ArrayNode secrets, JsonNode secretReferences, Instant createdAt) {
    Deployment d = new Deployment(newId(), tenant, name, source, createdAt);
    d.sourceConfig = sourceConfig.deepCopy();
    if ("github".equals(source)) {
      // The service assigns the public URL of cloud deployments.
      d.sourceConfig.put("custom_url", "https://" + name + "-" + d.id.substring(0, 8) + ".us.langgraph.app");
    }
    d.secrets = secrets.deepCopy();
    d.secretReferences = secretReferences;
    storedForm.sourceConfig(d.sourceConfig, d.secrets);
    addRevision(d, revisionConfig, createdAt);
    deployments.put(d.id, d);
    index(d);
    return d;
  }

  /** Adds a revision; in QUEUE mode it starts when the previous one has ended. */
  synchronized Revision addRevision(Deployment d, ObjectNode revisionConfig, Instant now) {
    Revision previous = d.latest();
    Instant start = previous == null || previous.terminal(now) ? now : previous.finishedAt();
    List<String> steps = new ArrayList<>("github".equals(d.source) ? BUILD_STEPS : IMAGE_STEPS);
    String outcome = "DEPLOYED";
    for (FailureRule rule : config.failureRules()) {
      if (rule.matches(revisionConfig.path(rule.field()).asText(null))) {
        outcome = rule.status();
        break;
      }
    }
    if ("CREATE_FAILED".equals(outcome)) {
      steps = new ArrayList<>(List.of("CREATING"));
    } else if ("BUILD_FAILED".equals(outcome) && steps.contains("BUILDING")) {
      steps = new ArrayList<>(steps.subList(0, steps.indexOf("BUILDING") + 1));
    }
    steps.add(outcome);
    ObjectNode stored = revisionConfig.deepCopy();
    storedForm.revisionConfig(stored);
    Revision r = new Revision(newId(), now, start, List.copyOf(steps), d.source, stored, config.stepDuration());
    d.revisions.add(r);
    d.latest = r;
    d.updatedAt = now;
    return r;
  }

  /**
   * Redeploys {@code target} (a revision of {@code d} that ended DEPLOYED, with no rollout in
   * progress; the API checks both). CLONE: a new revision with the target's config that skips the
   * build. REUSE: the target becomes the latest revision again and serves one step from now.
   * Either way the deployment's revision config becomes the target's; failure rules do not apply.
   */
  synchronized Revision redeploy(Deployment d, Revision target, Instant now) {
    d.updatedAt = now;
    if (config.redeployMode() == SimulatorConfig.RedeployMode.REUSE) {
      target.reactivatedAt = now.plus(config.stepDuration());
      d.latest = target;
      return target;
    }
    Revision r = new Revision(newId(), now, now, REDEPLOY_STEPS, d.source, target.config.deepCopy(),
        config.stepDuration());
    d.revisions.add(r);
    d.latest = r;
    return r;
  }

  synchronized String status(Deployment d) {
    Instant now = now();
    if (d.deletedAt != null) {
      return "AWAITING_DELETE";
    }
    return now.isBefore(d.createdAt.plus(config.databaseDelay())) ? "AWAITING_DATABASE" : "READY";
  }

  /** The revision that most recently became active (finished DEPLOYED, or was reactivated by a redeploy) by now. */
  synchronized Revision active(Deployment d) {
    Instant now = now();
    Revision best = null;
    Instant bestSince = null;
    for (Revision r : d.revisions) {
      Instant since = r.activeSince(now);
      if (since != null && (best == null || !since.isBefore(bestSince))) {
        best = r;
        bestSince = since;
      }
    }
    return best;
  }

  synchronized ObjectNode view(Deployment d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", d.id);
    n.put("tenant_id", d.tenant);
    n.put("name", d.name);
    n.put("source", d.source);
    n.set("source_config", d.sourceConfig.deepCopy());
    ObjectNode rc = d.latest() == null ? JSON.createObjectNode() : d.latest().config.deepCopy();
    rc.putNull("repo_commit_sha");
    if ("github".equals(d.source) && d.latest() != null && "DEPLOYED".equals(d.latest().status(now()))) {
      rc.put("repo_commit_sha", Integer.toHexString(d.latest().id.hashCode()) + "0000000000000000000000000000000");
    }
    n.set("source_revision_config", rc);
    n.set("secrets", d.secrets.deepCopy());
    if (d.secretReferences != null) {
      n.set("secret_references", d.secretReferences.deepCopy());
    }
    n.put("created_at", d.createdAt.toString());
    n.put("updated_at", d.updatedAt.toString());
    n.put("status", status(d));
    Optional<String> shown = latestShownAs.get(d.id);
    String latestId = shown != null ? shown.orElse(null) : d.latest() == null ? null : d.latest().id;
    if (latestId == null) {
      n.putNull("latest_revision_id");
    } else {
      n.put("latest_revision_id", latestId);
    }
    Revision active = active(d);
    if (active == null) {
      n.putNull("active_revision_id");
    } else {
      n.put("active_revision_id", active.id);
    }
    n.putNull("image_version");
    return n;
  }

  synchronized ObjectNode view(Revision r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", r.id);
    n.put("created_at", r.createdAt.toString());
    Instant now = now();
    Instant updated = now.isBefore(r.startAt) ? r.createdAt : (r.terminal(now) ? r.finishedAt() : now);
    n.put("updated_at", updated.toString());
    n.put("status", r.status(now));
    n.put("source", r.source);
    ObjectNode rc = r.config.deepCopy();
    rc.putNull("repo_commit_sha");
    n.set("source_revision_config", rc);
    return n;
  }

  synchronized void markDeleted(Deployment d, boolean deleteTracingProject) {
    if (d.deletedAt == null) {
      d.deletedAt = now();
      marked.add(d);
      d.deleteTracingProject = deleteTracingProject;
      if (deleteTracingProject) {
        tracingProjectsDeleted.add(d.id);
      }
    }
  }

  synchronized void purge(String id) {
    Deployment d = deployments.remove(id);
    if (d != null) {
      unindex(d);
      marked.remove(d);
    }
  }

  /** Test-only: from now on, what is stored is rewritten in this form (see {@link StoredForm}). */
  public synchronized void storeAs(StoredForm form) {
    storedForm = form;
  }

  /** Rewrites a deployment's source config and secrets after a PATCH changed them. */
  synchronized void rewriteStored(Deployment d) {
    storedForm.sourceConfig(d.sourceConfig, d.secrets);
  }

  // ------------------------------------------------------------------ out-of-band (tests, demo)

  /** Creates a deployment as the UI or another tool would (not through the API, not logged). */
  public synchronized String createOutOfBand(String tenant, String name, String imageUri, Instant createdAt) {
    ObjectNode rc = JSON.createObjectNode().put("image_uri", imageUri);
    return create(tenant, name, "external_docker", JSON.createObjectNode(), rc, JSON.createArrayNode(), null,
        createdAt).id;
  }

  /**
   * Changes a deployment as the UI would: {@code sourceConfig} and {@code revisionConfig} edit the
   * stored values; when {@code newRevision} a revision is rolled out with the edited config.
   */
  public synchronized void editOutOfBand(String id, Consumer<ObjectNode> sourceConfig,
      Consumer<ObjectNode> revisionConfig, boolean newRevision) {
    Deployment d = deployments.get(id);
    if (d == null) {
      throw new IllegalArgumentException("no deployment " + id);
    }
    sourceConfig.accept(d.sourceConfig);
    ObjectNode rc = d.latest().config.deepCopy();
    revisionConfig.accept(rc);
    if (newRevision) {
      addRevision(d, rc, now());
    } else {
      d.latest().config.removeAll();
      d.latest().config.setAll(rc);
    }
  }

  /** Soft-deletes as the UI would: AWAITING_DELETE, then gone after the deletion delay. */
  public synchronized void deleteOutOfBand(String id) {
    Deployment d = deployments.get(id);
    if (d != null) {
      markDeleted(d, false);
    }
  }

  /** A snapshot of every deployment (all tenants), as the API would render it. */
  public synchronized List<JsonNode> deployments() {
    purgeExpired();
    return deployments.values().stream().map(d -> (JsonNode) view(d)).toList();
  }

  /** A snapshot of one deployment's revisions, newest first. */
  public synchronized List<JsonNode> revisions(String deploymentId) {
    Deployment d = deployments.get(deploymentId);
    if (d == null) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    for (int i = d.revisions.size() - 1; i >= 0; i--) {
      if (!d.revisions.get(i).removed) {
        out.add(view(d.revisions.get(i)));
      }
    }
    return out;
  }

  /**
   * Test-only control (the API cannot delete a revision): from now on the revision answers 404 to
   * get and redeploy and is missing from the revision list. The deployment's latest/active ids
   * are computed as before.
   *
   * @throws IllegalArgumentException if the deployment or the revision does not exist
   */
  public synchronized void removeRevision(String deploymentId, String revisionId) {
    Deployment d = deployments.get(deploymentId);
    if (d == null) {
      throw new IllegalArgumentException("no deployment " + deploymentId);
    }
    Revision r = d.revision(revisionId)
        .orElseThrow(() -> new IllegalArgumentException("no revision " + revisionId + " of " + deploymentId));
    r.removed = true;
  }

  /**
   * Test control: the {@code detail} of the 400 a revision-creating PATCH meets while a revision
   * is in progress (REJECT mode); null restores the default text. Clients must not depend on it.
   */
  public void rolloutBusyDetail(String detail) {
    rolloutBusyDetail = detail;
  }

  String rolloutBusyDetailOr(String fallback) {
    String detail = rolloutBusyDetail;
    return detail == null ? fallback : detail;
  }

  /**
   * Test control: while {@code detail} is set, every revision-creating PATCH answers 400 with it
   * (a rule of the control plane, such as a plan limit, that the spec meets); null accepts again,
   * as when the cause is fixed on the remote.
   */
  public void refuseRevisionChanges(String detail) {
    revisionChangeRefusal = detail;
  }

  String revisionChangeRefusal() {
    return revisionChangeRefusal;
  }

  /**
   * Test control: while true, the list ignores {@code deployment_ids} and answers the tenant's
   * deployments page by page (a server that does not know the filter).
   */
  public void ignoreDeploymentIds(boolean ignore) {
    ignoreDeploymentIds = ignore;
  }

  boolean ignoresDeploymentIds() {
    return ignoreDeploymentIds;
  }

  /**
   * Test control (no API does this): from now on the deployment's {@code latest_revision_id} reads
   * {@code shown}, or null when {@code shown} is null, as a remote that answers an id the API does
   * not promise (a malformed one) or one that has not made the first revision yet would;
   * {@link #showRealLatestRevision} ends it. Revisions themselves are unchanged.
   */
  public synchronized void showLatestRevisionAs(String deploymentId, String shown) {
    latestShownAs.put(deploymentId, Optional.ofNullable(shown));
  }

  /** Ends {@link #showLatestRevisionAs}: the deployment's own latest revision id reads again. */
  public synchronized void showRealLatestRevision(String deploymentId) {
    latestShownAs.remove(deploymentId);
  }

  /** Ids that single reads and id-filtered lists do not see until the instant (see {@link #unseenById}). */
  private final Map<String, Instant> unseenUntil = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Test control: until {@code until}, reading the deployment by id answers the API's own
   * not-found and lists filtered by id leave it out, while lists by name still show it (a read
   * replica that lost it for a moment). Nothing is changed.
   */
  public void unseenByIdUntil(String id, Instant until) {
    unseenUntil.put(id, until);
  }

  boolean unseenById(String id) {
    Instant until = unseenUntil.get(id);
    return until != null && now().isBefore(until);
  }

  /** Whether a deployment was deleted with {@code delete_tracing_project=true}. */
  public synchronized boolean deletedWithTracingProject(String id) {
    return tracingProjectsDeleted.contains(id);
  }
}

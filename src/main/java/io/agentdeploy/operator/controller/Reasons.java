package io.agentdeploy.operator.controller;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue of every reason the operator writes into a condition or an event: where it
 * appears, whether it is an event and of which type, the Argo CD health it maps to and what a
 * person does about it. docs/reasons.md, the README table and both Argo CD health scripts follow
 * it; ReasonCatalogueTest fails when the code emits a reason missing here.
 */
public enum Reasons {
  // AgentDeployment: the normal course of a rollout.
  DEPLOYED("Deployed", on(Place.AGENT_READY), Event.NONE, Health.HEALTHY, "nothing: the newest revision is live"),
  APPLIED("Applied", on(Place.AGENT_SYNCED), Event.NONE, Health.HEALTHY, "nothing: the spec was sent"),
  PROGRESSING("Progressing", on(Place.AGENT_READY), Event.NONE, Health.PROGRESSING, "wait: a revision is rolling out"),
  UPDATE_PENDING("UpdatePending", on(Place.AGENT_READY), Event.NONE, Health.PROGRESSING,
      "wait: the new generation could not be sent yet; the Synced condition says why"),
  CREATE_IN_FLIGHT("CreateInFlight", on(Place.AGENT_SYNCED), Event.NONE, Health.PROGRESSING,
      "wait: a create may still be in flight; its outcome is read before anything else is sent"),
  UPDATE_IN_FLIGHT("UpdateInFlight", on(Place.AGENT_SYNCED), Event.NONE, Health.PROGRESSING,
      "wait: an update may still be in flight; its outcome is read before anything else is sent"),
  CREATED("Created", on(), Event.NORMAL, Health.NONE, "nothing: a remote deployment was created"),
  UPDATED("Updated", on(), Event.NORMAL, Health.NONE, "nothing: a new generation was deployed"),
  DRIFT_CORRECTED("DriftCorrected", on(), Event.NORMAL, Health.NONE,
      "nothing; if it repeats, someone changes the deployment on the control plane by hand"),
  ADOPTED("Adopted", on(), Event.NORMAL, Health.NONE, "nothing: the deployment named by the adopt annotation is now managed"),
  RECOVERED("Recovered", on(), Event.NORMAL, Health.NONE,
      "nothing: an interrupted write was found applied, or a control plane is Ready again"),
  REVISION_DEPLOYED("RevisionDeployed", on(), Event.NORMAL, Health.NONE, "nothing: a revision went live"),
  ROLLED_BACK("RolledBack", on(), Event.NORMAL, Health.NONE, "nothing: an earlier revision was redeployed"),
  ACCOUNT_MOVED("AccountMoved", on(), Event.NORMAL, Health.NONE, "nothing: the deployment now reads in the new account"),
  PREVIEW_REPLACED("PreviewReplaced", on(), Event.NORMAL_OR_WARNING, Health.NONE,
      "when a Warning: delete the old Agentex preview on the control plane by hand"),
  REMOTE_EVENT("Remote*", on(), Event.WARNING, Health.NONE,
      "a warning the control plane reported about the deployment (Agentex: its release's events), prefixed Remote"),
  // AgentDeployment: the remote said no, or the rollout failed.
  REVISION_FAILED("RevisionFailed", on(Place.AGENT_READY), Event.WARNING, Health.DEGRADED,
      "the message names the revision status (e.g. BUILD_FAILED); fix the image or source and change the spec"),
  PROGRESS_DEADLINE_EXCEEDED("ProgressDeadlineExceeded", on(Place.AGENT_READY), Event.WARNING, Health.DEGRADED,
      "the rollout is stuck on the control plane; look at the revision there"),
  REMOTE_REJECTED("RemoteRejected", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING, Health.DEGRADED,
      "the API refused the spec (a PATCH 400 with no rollout in progress, a 400/422 on create; message included); "
          + "it is not sent again, the remote is still observed. Fix the spec, or once fixed on the control plane set "
          + "a new agentdeploy.io/reconcile-requested-at value to send it once more"),
  SUPERSEDED_EXTERNALLY("SupersededExternally", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING,
      Health.DEGRADED, "someone deployed this agent outside the operator; change the spec or set reconcile-requested-at"),
  DRIFT_UNRESOLVABLE("DriftUnresolvable", on(Place.AGENT_SYNCED), Event.WARNING, Health.DEGRADED,
      "the control plane rewrites the named fields right after each correction: make the spec say what it stores, "
      + "or fix the control plane, then change the spec or set reconcile-requested-at"),
  RATE_LIMITED("RateLimited", on(Place.AGENT_SYNCED), Event.NONE, Health.PROGRESSING,
      "wait: retried after Retry-After; if it persists, lower spec.rateLimit or the number of resources per key"),
  ROLLOUT_IN_PROGRESS("RolloutInProgress", on(Place.AGENT_SYNCED), Event.NONE, Health.PROGRESSING,
      "wait: the control plane refused the change (400) while its latest revision, read right after, was still "
          + "rolling out; sent again with backoff once it finishes"),
  REMOTE_UNAVAILABLE("RemoteUnavailable", on(Place.AGENT_SYNCED), Event.NONE, Health.PROGRESSING,
      "wait: retried with backoff; if it persists, check the control plane's status page and the network"),
  UNEXPECTED_ERROR("UnexpectedError", on(Place.AGENT_SYNCED, Place.CONTROL_PLANE_REACHABLE), Event.WARNING,
      Health.PROGRESSING, "retried with backoff: a call to the control plane failed in a way the operator does not "
          + "classify (a request it could not build, an answer it could not use such as a malformed id); the event "
          + "and the operator log name the error class and code line; if it persists, report it with that line"),
  UNAUTHORIZED("Unauthorized", on(Place.AGENT_SYNCED, Place.CONTROL_PLANE_READY), Event.WARNING, Health.DEGRADED,
      "the API key is wrong, revoked or lacks access: put a valid key in the Secret (not retried faster than backoff)"),
  CREATE_OUTCOME_UNKNOWN("CreateOutcomeUnknown", on(Place.AGENT_SYNCED), Event.NONE, Health.DEGRADED,
      "a deploy of this name exists without our nonce: adopt it (annotation agentdeploy.io/adopt) or remove it"),
  REMOTE_DELETING("RemoteDeleting", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.NONE, Health.PROGRESSING,
      "wait: the remote deployment is being deleted outside the operator; it is recreated afterwards"),
  REMOTE_DELETED("RemoteDeleted", on(), Event.WARNING, Health.NONE,
      "someone deleted the remote deployment; the operator creates it again"),
  // AgentDeployment: a mistake in the spec or in what it refers to (every one is also a Warning event).
  INVALID_SPEC("InvalidSpec", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING, Health.DEGRADED,
      "fix the spec field the message names"),
  NAME_CONFLICT("NameConflict", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING, Health.DEGRADED,
      "a deployment with this name exists and this resource did not make it: rename, or adopt it (docs/gitops.md)"),
  ADOPTION_FAILED("AdoptionFailed", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING, Health.DEGRADED,
      "the adopt annotation names a deployment that does not exist or does not match the spec; fix the annotation"),
  SECRET_NOT_FOUND("SecretNotFound", on(Place.AGENT_READY, Place.AGENT_SYNCED, Place.CONTROL_PLANE_READY),
      Event.WARNING, Health.DEGRADED, "create the Secret; nothing is sent until then"),
  SECRET_KEY_NOT_FOUND("SecretKeyNotFound", on(Place.AGENT_READY, Place.AGENT_SYNCED, Place.CONTROL_PLANE_READY),
      Event.WARNING, Health.DEGRADED, "add the key to the Secret (or fix the key name)"),
  INVALID_SECRET_VALUE("InvalidSecretValue", on(Place.AGENT_READY, Place.AGENT_SYNCED, Place.CONTROL_PLANE_READY),
      Event.WARNING, Health.DEGRADED, "the Secret key the message names holds bytes that are not UTF-8 text; store "
          + "the value as UTF-8, nothing is sent until then"),
  CONFIG_MAP_NOT_FOUND("ConfigMapNotFound", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING,
      Health.DEGRADED, "create the ConfigMap"),
  CONFIG_MAP_KEY_NOT_FOUND("ConfigMapKeyNotFound", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING,
      Health.DEGRADED, "add the key to the ConfigMap (or fix the key name)"),
  INVALID_CONFIG_MAP_VALUE("InvalidConfigMapValue", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING,
      Health.DEGRADED, "the ConfigMap binaryData key the message names is not UTF-8 text; store the text under data"),
  CONTROL_PLANE_NOT_FOUND("ControlPlaneNotFound", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING,
      Health.DEGRADED, "create the ControlPlane named by spec.controlPlaneRef, or fix the reference"),
  CONTROL_PLANE_NOT_READY("ControlPlaneNotReady", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING,
      Health.PROGRESSING, "look at the ControlPlane's Ready reason (kubectl get controlplane); the deployment keeps running"),
  PROVIDER_MISMATCH("ProviderMismatch", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING, Health.DEGRADED,
      "the provider block does not match the ControlPlane's provider; use a ControlPlane of that provider"),
  NAMESPACE_NOT_ALLOWED("NamespaceNotAllowed", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.WARNING,
      Health.DEGRADED, "the ClusterControlPlane does not allow this namespace; its owner adds it to spec.allowedNamespaces"),
  CLUSTER_CONTROL_PLANES_DISABLED("ClusterControlPlanesDisabled", on(Place.AGENT_READY, Place.AGENT_SYNCED),
      Event.WARNING, Health.DEGRADED, "the operator runs with clusterControlPlanes.enabled=false: use a ControlPlane"),
  ACCOUNT_NOT_ACCEPTED("AccountNotAccepted", on(Place.AGENT_SYNCED), Event.WARNING, Health.DEGRADED,
      "the accept-account annotation names another account than the ControlPlane's; fix it (docs/gitops.md)"),
  CONTROL_PLANE_CHANGED("ControlPlaneChanged", on(Place.AGENT_SYNCED), Event.WARNING, Health.DEGRADED,
      "the ControlPlane now addresses another account: point it back, or accept the move by annotation"),
  HASH_KEY_CHANGED("HashKeyChanged", on(Place.AGENT_SYNCED), Event.WARNING, Health.HEALTHY,
      "the operator's hash key was lost: nothing is re-applied until the next spec change (docs/security.md)"),
  // AgentDeployment: pause, expiry, deletion.
  PAUSED("Paused", on(Place.AGENT_SYNCED), Event.NONE, Health.SUSPENDED, "remove the agentdeploy.io/paused annotation"),
  EXPIRED("Expired", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.NONE, Health.SUSPENDED,
      "an Agentex preview passed its expiry; change the spec to deploy it again"),
  DELETING("Deleting", on(Place.AGENT_READY, Place.AGENT_SYNCED), Event.NONE, Health.PROGRESSING,
      "wait: the remote delete is pending; if it stays, see docs/troubleshooting.md#stuck-deletion"),
  DELETED("Deleted", on(), Event.NORMAL, Health.NONE, "nothing: the remote deployment is gone"),
  ORPHANED("Orphaned", on(), Event.NORMAL_OR_WARNING, Health.NONE,
      "the remote deployment was left running on purpose (deletionPolicy Orphan, or an account move); delete it there if unwanted"),
  DELETE_FAILED("DeleteFailed", on(Place.AGENT_SYNCED), Event.WARNING, Health.PROGRESSING,
      "retried with backoff; if it persists, see docs/troubleshooting.md#stuck-deletion"),
  DELETE_BLOCKED("DeleteBlocked", on(), Event.WARNING, Health.NONE,
      "the delete cannot be sent (Synced says why): restore the Secret or ControlPlane, or set deletionPolicy: Orphan"),
  DELETE_STUCK("DeleteStuck", on(), Event.WARNING, Health.NONE,
      "the control plane has been deleting for long; look at the deployment there"),
  SERVING_NOT_OURS("ServingNotOurs", on(), Event.WARNING, Health.NONE,
      "the deploy serving this agent was not made by this resource and is left running; delete it there if unwanted"),
  // ControlPlane and ClusterControlPlane.
  CONNECTED("Connected", on(Place.CONTROL_PLANE_READY), Event.NONE, Health.HEALTHY, "nothing: the key works"),
  UNREACHABLE("Unreachable", on(Place.CONTROL_PLANE_READY, Place.CONTROL_PLANE_REACHABLE), Event.WARNING,
      Health.PROGRESSING, "retried with backoff (one event per episode, with the details); on Ready only before the "
          + "first answer; check spec.baseUrl, DNS, egress NetworkPolicies and proxies"),
  UNEXPECTED_RESPONSE("UnexpectedResponse", on(Place.CONTROL_PLANE_READY, Place.CONTROL_PLANE_REACHABLE), Event.WARNING,
      Health.DEGRADED, "spec.baseUrl does not serve the API (self-hosted LangSmith serves it under /api-host); fix "
          + "it (on Ready after 3 such checks over 2 minutes, on Reachable at once)"),
  REACHABLE("Reachable", on(Place.CONTROL_PLANE_REACHABLE), Event.NONE, Health.HEALTHY,
      "nothing: the control plane answered the last check"),
  THROTTLED("Throttled", on(Place.CONTROL_PLANE_REACHABLE), Event.NONE, Health.PROGRESSING,
      "nothing usually: the check waits for the account's rate limit or a 429's pause; Ready is unchanged"),
  RATE_LIMIT_LOWERED("RateLimitLowered", on(), Event.WARNING, Health.NONE,
      "this ControlPlane's spec.rateLimit lowered the limit every ControlPlane on its account shares "
          + "(status.rateLimit); raise it if that was not meant"),
  INVALID_SELECTOR("InvalidSelector", on(Place.CONTROL_PLANE_READY), Event.NONE, Health.DEGRADED,
      "fix spec.allowedNamespaces.selector as the message says"),
  INSECURE_BASE_URL("InsecureBaseUrl", on(Place.CONTROL_PLANE_READY), Event.NONE, Health.DEGRADED,
      "use https, or add the host to the operator's plain-http allow list (docs/security.md)"),
  BASE_URL_NOT_ALLOWED("BaseUrlNotAllowed", on(Place.CONTROL_PLANE_READY), Event.NONE, Health.DEGRADED,
      "the host or port is not allowed by the operator's base URL policy (docs/security.md)"),
  INVALID_BASE_URL("InvalidBaseUrl", on(Place.CONTROL_PLANE_READY), Event.NONE, Health.DEGRADED,
      "spec.baseUrl is not a valid absolute URL; fix it"),
  TLS_UNTRUSTED("TlsUntrusted", on(Place.AGENT_SYNCED, Place.CONTROL_PLANE_READY), Event.NONE, Health.DEGRADED,
      "the control plane's TLS certificate is not trusted (another CA, another name, or expired): name its CA in "
          + "spec.caBundle, or have the server present a valid certificate"),
  INVALID_CA_BUNDLE("InvalidCaBundle", on(Place.AGENT_READY, Place.AGENT_SYNCED, Place.CONTROL_PLANE_READY),
      Event.WARNING, Health.DEGRADED, "spec.caBundle names a ConfigMap or Secret key that is missing or holds no readable PEM certificate; fix it "
          + "(nothing is sent until then)"),
  INVALID_HEADER_VALUE("InvalidHeaderValue", on(Place.CONTROL_PLANE_READY), Event.NONE, Health.DEGRADED,
      "the API key (or spec.tenantId / spec.accountId) holds a line break or another character an HTTP header "
          + "cannot carry; fix the value, nothing is sent until then"),
  IN_USE("InUse", on(Place.CONTROL_PLANE_DELETING), Event.NONE, Health.PROGRESSING,
      "wait, or delete the AgentDeployments the message names: they need the control plane to delete their deployments"),
  KEY_REJECTED("KeyRejected", on(), Event.WARNING, Health.NONE,
      "the control plane refused the API key (Ready turns Unauthorized): put a valid key in the Secret"),
  KEY_ROTATED("KeyRotated", on(), Event.NORMAL, Health.NONE, "nothing: the Secret's new key was checked and works");

  /** Where a reason can be read. */
  public enum Place {
    AGENT_READY("AgentDeployment Ready"), AGENT_SYNCED("AgentDeployment Synced"),
    CONTROL_PLANE_READY("ControlPlane Ready"), CONTROL_PLANE_REACHABLE("ControlPlane Reachable"),
    CONTROL_PLANE_DELETING("ControlPlane Deleting");

    public final String label;

    Place(String label) {
      this.label = label;
    }
  }

  /** Whether a reason is also (or only) a Kubernetes Event, and its type. */
  public enum Event { NONE, NORMAL, WARNING, NORMAL_OR_WARNING }

  /** The Argo CD health of an object whose condition carries the reason; NONE for events only. */
  public enum Health { HEALTHY, PROGRESSING, DEGRADED, SUSPENDED, NONE }

  public final String reason;
  public final Set<Place> places;
  public final Event event;
  public final Health health;
  public final String action;

  Reasons(String reason, Set<Place> places, Event event, Health health, String action) {
    this.reason = reason;
    this.places = places;
    this.event = event;
    this.health = health;
    this.action = action;
  }

  /**
   * True for a mistake in what a person wrote (the resource, or a Secret or ConfigMap it names):
   * refused with this reason before anything is sent. The bad-input suite has a row for each.
   */
  public boolean isBadInput() {
    return BadInput.REASONS.contains(this);
  }

  /** Holder: an enum's own static fields are not yet set while its constants are built. */
  private static final class BadInput {
    static final Set<Reasons> REASONS = EnumSet.of(INVALID_SPEC, SECRET_NOT_FOUND, SECRET_KEY_NOT_FOUND,
        INVALID_SECRET_VALUE, CONFIG_MAP_NOT_FOUND, CONFIG_MAP_KEY_NOT_FOUND, INVALID_CONFIG_MAP_VALUE,
        CONTROL_PLANE_NOT_FOUND, PROVIDER_MISMATCH, INVALID_SELECTOR, INSECURE_BASE_URL, BASE_URL_NOT_ALLOWED,
        INVALID_BASE_URL, INVALID_HEADER_VALUE, INVALID_CA_BUNDLE,
        // What the resource names that its installation or ControlPlane does not grant: the reference
        // (a ClusterControlPlane not allowing the namespace, or in an operator without them) and the
        // accept-account annotation naming another account; fixed by what a person writes.
        NAMESPACE_NOT_ALLOWED, CLUSTER_CONTROL_PLANES_DISABLED, ACCOUNT_NOT_ACCEPTED);
  }

  public static Optional<Reasons> of(String reason) {
    Optional<Reasons> exact = Arrays.stream(values()).filter(r -> r.reason.equals(reason)).findFirst();
    return exact.or(() -> Arrays.stream(values()).filter(r -> r.reason.endsWith("*")
        && reason.startsWith(r.reason.substring(0, r.reason.length() - 1))).findFirst());
  }

  private static Set<Place> on(Place... places) {
    return places.length == 0 ? EnumSet.noneOf(Place.class) : EnumSet.of(places[0], places);
  }
}

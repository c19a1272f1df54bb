package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of a control-plane check, each once per transition: the key was rejected (Ready turns
 * Unauthorized), a changed key Secret was checked and works, Ready again after not Ready, and the
 * start of an unreachable episode (Reachable turns False Unreachable; the details of that first
 * failure go in the event, later ones only to the log). Transitions are read from the status before
 * the check, so a restart does not repeat them; only "rotated" needs memory (the Secret content of
 * the previous check), and after a restart the first check sets it.
 */
final class ControlPlaneEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneEvents.class);

  private final EventRecorder events;
  private final Map<String, Integer> lastSecretContent = new ConcurrentHashMap<>();

  ControlPlaneEvents(EventRecorder events) {
    this.events = events;
  }

  /** @param secretName the key Secret, named in messages (never its content) */
  void afterCheck(HasMetadata resource, ControlPlaneStatus before, AccessCheck.Outcome outcome,
      Optional<Secret> secret, String secretName) {
    var ready = Conditions.find(before.getConditions(), Conditions.READY);
    String uid = resource.getMetadata().getUid();
    Integer content = secret.map(s -> Objects.hash(s.getData(), s.getStringData())).orElse(null);
    Integer previous = content == null ? lastSecretContent.remove(uid) : lastSecretContent.put(uid, content);
    boolean nowReady = outcome.verdict().map(AccessCheck.Verdict::ready).orElse(false);
    String detail = outcome.reach().map(Reachability::detail).orElse("");
    if (outcome.verdict().filter(v -> !v.ready() && Reasons.UNAUTHORIZED.reason.equals(v.reason())).isPresent()
        && !ready.map(c -> Reasons.UNAUTHORIZED.reason.equals(c.getReason())).orElse(false)) {
      events.warning(resource, Reasons.KEY_REJECTED.reason, "the key in Secret " + secretName + " was refused: "
          + detail);
    }
    if (nowReady && previous != null && !previous.equals(content)) {
      events.normal(resource, Reasons.KEY_ROTATED.reason, "the changed key in Secret " + secretName
          + " was checked and works");
    }
    if (nowReady && ready.map(c -> "False".equals(c.getStatus())).orElse(false)) {
      events.normal(resource, Reasons.RECOVERED.reason, "Ready again (was " + ready.get().getReason() + ")");
    }
    outcome.reach().filter(r -> !r.reachable()).ifPresent(r -> {
      var reachable = Conditions.find(before.getConditions(), Reachability.TYPE);
      boolean episodeStarts = !reachable.map(c -> "False".equals(c.getStatus())
          && r.reason().reason.equals(c.getReason())).orElse(false);
      if (episodeStarts && (r.reason() == Reasons.UNREACHABLE || r.reason() == Reasons.UNEXPECTED_ERROR)) {
        events.warning(resource, r.reason().reason, "the control plane check failed (retried with "
            + "backoff, Ready unchanged): " + r.detail());
      } else if (episodeStarts && r.reason() == Reasons.UNEXPECTED_RESPONSE) {
        events.warning(resource, Reasons.UNEXPECTED_RESPONSE.reason, "the control plane check answered not found "
            + "(Ready turns False if that persists over " + NotFoundStreak.CHECKS + " checks and "
            + NotFoundStreak.SPAN.toMinutes() + " minutes): " + r.detail());
      } else {
        LOG.info("{} {}: check not answered ({}): {}", resource.getKind(), resource.getMetadata().getName(),
            r.reason().reason, r.detail());
      }
    });
  }

  /** Drops what is remembered about objects of {@code kind} whose uid is not in {@code live}. */
  void retainOnly(String kind, java.util.Set<String> live) {
    lastSecretContent.keySet().retainAll(live);
    events.retainOnly(kind, live);
  }

  void forget(HasMetadata resource) {
    lastSecretContent.remove(resource.getMetadata().getUid());
    events.forget(resource);
  }
}

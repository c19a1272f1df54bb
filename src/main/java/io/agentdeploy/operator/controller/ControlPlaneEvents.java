package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events of a control-plane check, each once per transition: the key was rejected (Ready turns
 * Unauthorized), a changed key Secret was checked and works, Ready again after not Ready. Transitions
 * are read from the status before the check, so a restart does not repeat them; only "rotated" needs
 * memory (the Secret content of the previous check), and after a restart the first check sets it.
 */
final class ControlPlaneEvents {
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
    if (!outcome.ready() && Reasons.UNAUTHORIZED.reason.equals(outcome.reason())
        && !ready.map(c -> Reasons.UNAUTHORIZED.reason.equals(c.getReason())).orElse(false)) {
      events.warning(resource, Reasons.KEY_REJECTED.reason, "the key in Secret " + secretName + " was refused: "
          + outcome.message());
    }
    if (outcome.ready() && previous != null && !previous.equals(content)) {
      events.normal(resource, Reasons.KEY_ROTATED.reason, "the changed key in Secret " + secretName
          + " was checked and works");
    }
    if (outcome.ready() && ready.map(c -> "False".equals(c.getStatus())).orElse(false)) {
      events.normal(resource, Reasons.RECOVERED.reason, "Ready again (was " + ready.get().getReason() + ")");
    }
  }

  void forget(HasMetadata resource) {
    lastSecretContent.remove(resource.getMetadata().getUid());
    events.forget(resource);
  }
}

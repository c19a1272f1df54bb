package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.api.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;
import java.util.function.Function;

/** Finds a resource's ControlPlane and credentials and builds the client for it. */
final class ControlPlaneAccess {
  private final RemoteClients clients;

  ControlPlaneAccess(RemoteClients clients) {
    this.clients = clients;
  }

  /**
   * @param requireReady false during deletion: a delete is attempted with whatever credentials
   *     exist, even while the ControlPlane reports a problem
   */
  Target targetFor(ClusterReads reads, String controlPlaneName, Provider expected,
      boolean requireReady) throws SpecProblem {
    String namespace = reads.namespace();
    ControlPlane controlPlane = reads.controlPlane(controlPlaneName).orElseThrow(() -> new SpecProblem(
        "ControlPlaneNotFound", "ControlPlane " + controlPlaneName + " does not exist in namespace " + namespace));
    if (controlPlane.getSpec().getProvider() != expected) {
      throw new SpecProblem("ProviderMismatch", "spec." + expected.wireName() + " needs a ControlPlane with provider "
          + expected.wireName() + ", but ControlPlane " + controlPlaneName + " has provider "
          + controlPlane.getSpec().getProvider().wireName());
    }
    if (requireReady && !isReady(controlPlane)) {
      String why = Conditions.find(controlPlane.getStatus() == null ? null : controlPlane.getStatus().getConditions(),
          Conditions.READY).map(Condition::getMessage).filter(m -> !m.isBlank()).orElse("not checked yet");
      throw new SpecProblem("ControlPlaneNotReady", "ControlPlane " + controlPlaneName + " is not ready: " + why);
    }
    String apiKey = apiKey(controlPlane, reads::secret);
    AccountKey account = RemoteClients.accountOf(controlPlane.getSpec(), apiKey);
    String accepted = controlPlane.getMetadata().getAnnotations() == null ? null
        : controlPlane.getMetadata().getAnnotations().get(Annotations.ACCEPT_ACCOUNT);
    return new Target(clients.clientFor(controlPlane.getSpec(), apiKey), account,
        AccountKey.fingerprint(account.display() + "|" + apiKey), accepted == null ? null : accepted.strip(),
        controlPlaneName);
  }

  static boolean isReady(ControlPlane controlPlane) {
    return controlPlane.getStatus() != null
        && Conditions.isTrue(controlPlane.getStatus().getConditions(), Conditions.READY)
        && java.util.Objects.equals(controlPlane.getStatus().getObservedGeneration(),
            controlPlane.getMetadata().getGeneration());
  }

  static String apiKey(ControlPlane controlPlane, Function<String, Optional<Secret>> secrets) throws SpecProblem {
    SecretKeySelector ref = controlPlane.getSpec().getApiKeySecretRef();
    Secret secret = secrets.apply(ref.getName()).orElseThrow(() -> new SpecProblem("SecretNotFound",
        "API key Secret " + ref.getName() + " of ControlPlane " + controlPlane.getMetadata().getName()
            + " does not exist"));
    String key = Secrets.value(secret, ref.getKey()).orElseThrow(() -> new SpecProblem("SecretKeyNotFound",
        "API key Secret " + ref.getName() + " has no key " + ref.getKey()));
    if (key.isBlank()) {
      throw new SpecProblem("SecretKeyNotFound", "API key Secret " + ref.getName() + " key " + ref.getKey()
          + " is empty");
    }
    return key.strip();
  }
}

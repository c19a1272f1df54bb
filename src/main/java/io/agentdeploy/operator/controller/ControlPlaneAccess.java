package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneReference;
import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.ControlPlaneStatus;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.remote.http.TrustBundle;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Finds a resource's ControlPlane or ClusterControlPlane and credentials and builds the client for it. */
final class ControlPlaneAccess {
  private final RemoteClients clients;

  ControlPlaneAccess(RemoteClients clients) {
    this.clients = clients;
  }

  /** Either kind of control plane, as the AgentDeployment side sees it. */
  private record Resolved(String display, ControlPlaneSpec spec, ControlPlaneStatus status, HasMetadata object,
      Optional<Secret> keySecret, CaBundleReader caBundle) {}

  /** Reads the control plane's CA bundle from wherever its kind keeps it. */
  @FunctionalInterface
  private interface CaBundleReader {
    Optional<TrustBundle> read() throws SpecProblem;
  }

  /**
   * @param requireReady false during deletion: a delete is attempted with whatever credentials
   *     exist, even while the control plane reports a problem or no longer allows the namespace
   */
  Target targetFor(ClusterReads reads, ControlPlaneReference ref, Provider expected, boolean requireReady)
      throws SpecProblem {
    Resolved cp = switch (ref.kindOrDefault()) {
      case ControlPlane -> namespaced(reads, ref.getName());
      case ClusterControlPlane -> clusterScoped(reads, ref.getName(), requireReady);
    };
    if (cp.spec().getProvider() != expected) {
      throw new SpecProblem("ProviderMismatch", "spec." + expected.wireName() + " needs a control plane with provider "
          + expected.wireName() + ", but " + cp.display() + " has provider " + cp.spec().getProvider().wireName());
    }
    if (requireReady && ControlPlaneCheckPending.of(cp.status(), cp.object())) {
      throw new ControlPlaneCheckPending(cp.display());
    }
    if (requireReady && !isReady(cp.status(), cp.object())) {
      String why = Conditions.find(cp.status() == null ? null : cp.status().getConditions(), Conditions.READY)
          .map(Condition::getMessage).filter(m -> !m.isBlank()).orElse("not checked yet");
      throw new SpecProblem("ControlPlaneNotReady", cp.display() + " is not ready: " + why);
    }
    String apiKey = apiKey(cp.spec(), cp.display(), cp.keySecret());
    AccountKey account = RemoteClients.accountOf(cp.spec(), apiKey);
    Map<String, String> annotations = cp.object().getMetadata().getAnnotations();
    String accepted = annotations == null ? null : annotations.get(Annotations.ACCEPT_ACCOUNT);
    return new Target(clients.clientFor(cp.spec(), apiKey, SharedLimitStatus.ownerOf(cp.object()),
        cp.caBundle().read().orElse(null)), account,
        AccountKey.fingerprint(account.display() + "|" + apiKey), accepted == null ? null : accepted.strip(),
        cp.display());
  }

  /**
   * The account a ControlPlane reference addresses now, resolved as {@link #targetFor} does but
   * without building a client: what another resource would deploy to (see {@link ReleaseClaims}).
   */
  static AccountKey accountFor(ClusterReads reads, ControlPlaneReference ref) throws SpecProblem {
    Resolved cp = switch (ref.kindOrDefault()) {
      case ControlPlane -> namespaced(reads, ref.getName());
      case ClusterControlPlane -> clusterScoped(reads, ref.getName(), false);
    };
    return RemoteClients.accountOf(cp.spec(), apiKey(cp.spec(), cp.display(), cp.keySecret()));
  }

  private static Resolved namespaced(ClusterReads reads, String name) throws SpecProblem {
    ControlPlane controlPlane = reads.controlPlane(name).orElseThrow(() -> new SpecProblem(
        "ControlPlaneNotFound", "ControlPlane " + name + " does not exist in namespace " + reads.namespace()));
    String display = "ControlPlane " + name;
    return new Resolved(display, controlPlane.getSpec(), controlPlane.getStatus(), controlPlane,
        reads.secret(controlPlane.getSpec().getApiKeySecretRef().getName()),
        () -> CaBundles.read(controlPlane.getSpec(), display, reads.namespace(), reads::configMap, reads::secret));
  }

  private static Resolved clusterScoped(ClusterReads reads, String name, boolean requireReady) throws SpecProblem {
    ClusterControlPlane controlPlane = reads.clusterControlPlane(name).orElseThrow(() -> new SpecProblem(
        "ControlPlaneNotFound", "ClusterControlPlane " + name + " does not exist"));
    // A namespace taken off the list may still delete what it owns (requireReady is false then).
    if (requireReady && !NamespaceAllowance.allows(controlPlane.getSpec().getAllowedNamespaces(),
        reads.namespace(), reads.namespaceLabels())) {
      throw new SpecProblem("NamespaceNotAllowed", "ClusterControlPlane " + name + " does not allow namespace "
          + reads.namespace() + " (its spec.allowedNamespaces); nothing is sent until its owner adds the namespace");
    }
    String display = "ClusterControlPlane " + name;
    return new Resolved(display, controlPlane.getSpec(), controlPlane.getStatus(), controlPlane,
        reads.operatorSecret(controlPlane.getSpec().getApiKeySecretRef().getName()),
        () -> CaBundles.read(controlPlane.getSpec(), display, "the operator's", unchecked(reads::operatorConfigMap),
            unchecked(reads::operatorSecret)));
  }

  /** A lookup that can only fail when ClusterControlPlanes are off, which the resolution above already ruled out. */
  private static <T> java.util.function.Function<String, Optional<T>> unchecked(Lookup<T> lookup) {
    return name -> {
      try {
        return lookup.find(name);
      } catch (SpecProblem impossible) {
        return Optional.empty();
      }
    };
  }

  @FunctionalInterface
  private interface Lookup<T> {
    Optional<T> find(String name) throws SpecProblem;
  }

  static boolean isReady(ControlPlaneStatus status, HasMetadata object) {
    return status != null && Conditions.isTrue(status.getConditions(), Conditions.READY)
        && Objects.equals(status.getObservedGeneration(), object.getMetadata().getGeneration());
  }

  /** @param owner how messages name the control plane, e.g. "ControlPlane team-a" */
  static String apiKey(ControlPlaneSpec spec, String owner, Optional<Secret> secret) throws SpecProblem {
    SecretKeySelector ref = spec.getApiKeySecretRef();
    Secret found = secret.orElseThrow(() -> new SpecProblem("SecretNotFound",
        "API key Secret " + ref.getName() + " of " + owner + " does not exist"));
    String key = Secrets.value(found, ref.getKey()).orElseThrow(() -> new SpecProblem("SecretKeyNotFound",
        "API key Secret " + ref.getName() + " has no key " + ref.getKey()));
    if (key.isBlank()) {
      throw new SpecProblem("SecretKeyNotFound", "API key Secret " + ref.getName() + " key " + ref.getKey()
          + " is empty");
    }
    return key.strip();
  }
}

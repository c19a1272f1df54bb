package io.agentdeploy.operator.runtime;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ControlPlane;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Before the operator starts its informers: is the API server reachable, does it accept our
 * credentials, and are the CRDs installed? Without this, each of those ends in hundreds of lines
 * of informer stack traces; with it, one line that says what to do.
 *
 * <p>Uses API discovery ({@code /apis/agentdeploy.io/v1alpha1}), which every authenticated
 * client may read, so it needs no RBAC beyond what the operator already has.
 */
public final class ClusterPreflight {
  /** What stops the operator from starting. */
  public enum Reason { UNREACHABLE, UNAUTHORIZED, CRDS_MISSING }

  /** One problem and the line that tells a person what to do about it. */
  public record Problem(Reason reason, String message) {}

  private static final String GROUP_VERSION = AgentDeployment.GROUP + "/" + AgentDeployment.VERSION;

  private ClusterPreflight() {}

  /**
   * @param config the operator's Kubernetes client configuration; the check uses its own client
   *     with few retries, so an unreachable server is reported in seconds, not after the client's
   *     long backoff
   * @param clusterControlPlanes whether the ClusterControlPlane CRD is needed too
   */
  public static Optional<Problem> check(Config config, boolean clusterControlPlanes) {
    Config quick = new ConfigBuilder(config).withRequestRetryBackoffLimit(1).withRequestRetryBackoffInterval(200)
        .withConnectionTimeout(5_000).withRequestTimeout(10_000).build();
    String server = config.getMasterUrl();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(quick).build()) {
      APIResourceList resources = client.getApiResources(GROUP_VERSION);
      Set<String> served = resources == null ? Set.of()
          : resources.getResources().stream().map(APIResource::getName).collect(Collectors.toSet());
      List<String> missing = new ArrayList<>();
      for (Class<? extends CustomResource<?, ?>> kind : required(clusterControlPlanes)) {
        String plural = HasMetadata.getPlural(kind);
        if (!served.contains(plural)) {
          missing.add(plural);
        }
      }
      if (!missing.isEmpty()) {
        return Optional.of(new Problem(Reason.CRDS_MISSING, "the " + GROUP_VERSION + " CRDs are not installed in the "
            + "cluster at " + server + " (missing: " + String.join(", ", missing) + "): install them with "
            + "'kubectl apply --server-side -f crds/' (or the chart's crds/) and start the operator again"));
      }
      return Optional.empty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        return Optional.of(new Problem(Reason.UNAUTHORIZED, "the Kubernetes API server at " + server
            + " refused the operator's credentials (HTTP " + e.getCode() + "): check the kubeconfig user, "
            + "or in a cluster the ServiceAccount token"));
      }
      return Optional.of(new Problem(Reason.UNREACHABLE, "cannot reach the Kubernetes API server at " + server
          + " (" + cause(e) + "): check KUBECONFIG and the current context ('kubectl cluster-info' "
          + "must work), or run the operator in the cluster"));
    }
  }

  private static List<Class<? extends CustomResource<?, ?>>> required(boolean clusterControlPlanes) {
    return clusterControlPlanes ? List.of(AgentDeployment.class, ControlPlane.class, ClusterControlPlane.class)
        : List.of(AgentDeployment.class, ControlPlane.class);
  }

  /**
   * What went wrong on the way, in words: the JDK HTTP client's exceptions mostly carry no message
   * (a refused connection is a ConnectException with none), so the type says it.
   */
  static String cause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return "connection refused";
      }
      if (t instanceof java.net.UnknownHostException) {
        return "unknown host" + (t.getMessage() == null ? "" : " " + t.getMessage());
      }
      if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException) {
        return "timed out";
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return "TLS failed" + (t.getMessage() == null ? "" : ": " + t.getMessage());
      }
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank() && !"An error has occurred.".equals(t.getMessage())) {
        return t.getMessage().replaceAll("\\s+", " ").strip();
      }
    }
    return e.getClass().getSimpleName();
  }
}

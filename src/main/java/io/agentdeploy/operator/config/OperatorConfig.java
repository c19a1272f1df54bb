package io.agentdeploy.operator.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Every setting of the operator. Each has an environment variable with the prefix
 * {@code AGENTDEPLOY_} and an equivalent flag (see {@code RunCommand}).
 *
 * @param namespaces namespaces to watch; empty means all
 * @param resync how often a stable resource is re-read from the remote (also JOSDK's max interval)
 * @param pollInitial first poll interval while a rollout is in progress
 * @param pollMax longest poll interval while a rollout is in progress
 * @param progressDeadline a rollout not finished by then is reported as ProgressDeadlineExceeded
 * @param deleteWarnAfter a remote delete still pending after this gets a Warning event
 * @param retryInitial first backoff after a transient remote error
 * @param retryMax longest backoff after transient remote errors
 * @param adoptSkew tolerance between our clock and the remote's when deciding whether a deployment
 *     found by name was created after our recorded create intent
 * @param operatorNamespace the namespace the operator runs in (its own Secrets live there); null
 *     means the Kubernetes client's namespace
 * @param hashKeySecret name of the operator's own Secret (in operatorNamespace) holding the key of
 *     the desired-state hash
 * @param allowedHosts hosts a control plane's baseUrl may name (host, host:port, *.suffix); empty
 *     means any https host
 * @param plainHttpHosts hosts that may be reached over plain http (loopback always may)
 * @param clusterControlPlanes serve ClusterControlPlanes (needs cluster-wide read of them and of
 *     Namespaces, and read of Secrets in operatorNamespace)
 * @param retryAfterMax the longest pause a remote's Retry-After may impose on an account (a longer
 *     one, or a date further ahead, is cut to this); at least the 1 s floor every Retry-After gets
 */
public record OperatorConfig(Set<String> namespaces, LeaderElection leaderElection,
    int httpPort, String logFormat, Duration resync, Duration pollInitial, Duration pollMax,
    Duration progressDeadline, Duration deleteWarnAfter, Duration retryInitial, Duration retryMax,
    boolean serverSideApply, double defaultRequestsPerSecond, int defaultBurst, Duration requestTimeout,
    Duration adoptSkew, String operatorNamespace, String hashKeySecret, List<String> allowedHosts,
    List<String> plainHttpHosts, boolean clusterControlPlanes, Duration retryAfterMax) {

  public OperatorConfig {
    allowedHosts = List.copyOf(allowedHosts);
    plainHttpHosts = List.copyOf(plainHttpHosts);
  }

  public static OperatorConfig defaults() {
    return new OperatorConfig(Set.of(), LeaderElection.disabled(), 8080, "text",
        Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMinutes(30),
        Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofMinutes(5), true, 5.0, 10,
        Duration.ofSeconds(30), Duration.ofSeconds(10), null, "agent-deployment-operator-hash-key", List.of(),
        List.of(), true, Duration.ofMinutes(10));
  }

  public OperatorConfig withLeaderElection(LeaderElection value) {
    return new OperatorConfig(namespaces, value, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        defaultRequestsPerSecond, defaultBurst, requestTimeout, adoptSkew, operatorNamespace, hashKeySecret,
        allowedHosts, plainHttpHosts, clusterControlPlanes, retryAfterMax);
  }

  public OperatorConfig withNamespaces(Set<String> value) {
    return new OperatorConfig(value, leaderElection, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        defaultRequestsPerSecond, defaultBurst, requestTimeout, adoptSkew, operatorNamespace, hashKeySecret,
        allowedHosts, plainHttpHosts, clusterControlPlanes, retryAfterMax);
  }

  public OperatorConfig withTimings(Duration resync, Duration pollInitial, Duration pollMax,
      Duration progressDeadline, Duration deleteWarnAfter, Duration retryInitial, Duration retryMax) {
    return new OperatorConfig(namespaces, leaderElection, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        defaultRequestsPerSecond, defaultBurst, requestTimeout, adoptSkew, operatorNamespace, hashKeySecret,
        allowedHosts, plainHttpHosts, clusterControlPlanes, retryAfterMax);
  }

  public OperatorConfig withServerSideApply(boolean value) {
    return new OperatorConfig(namespaces, leaderElection, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, value,
        defaultRequestsPerSecond, defaultBurst, requestTimeout, adoptSkew, operatorNamespace, hashKeySecret,
        allowedHosts, plainHttpHosts, clusterControlPlanes, retryAfterMax);
  }

  public OperatorConfig withHttpPort(int value) {
    return new OperatorConfig(namespaces, leaderElection, value, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        defaultRequestsPerSecond, defaultBurst, requestTimeout, adoptSkew, operatorNamespace, hashKeySecret,
        allowedHosts, plainHttpHosts, clusterControlPlanes, retryAfterMax);
  }

  public OperatorConfig withRequestTimeout(Duration value) {
    return new OperatorConfig(namespaces, leaderElection, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        defaultRequestsPerSecond, defaultBurst, value, adoptSkew, operatorNamespace, hashKeySecret,
        allowedHosts, plainHttpHosts, clusterControlPlanes, retryAfterMax);
  }

  public OperatorConfig withRateLimit(double requestsPerSecond, int burst) {
    return new OperatorConfig(namespaces, leaderElection, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        requestsPerSecond, burst, requestTimeout, adoptSkew, operatorNamespace, hashKeySecret,
        allowedHosts, plainHttpHosts, clusterControlPlanes, retryAfterMax);
  }

  public OperatorConfig withOperatorNamespace(String value) {
    return new OperatorConfig(namespaces, leaderElection, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        defaultRequestsPerSecond, defaultBurst, requestTimeout, adoptSkew, value, hashKeySecret,
        allowedHosts, plainHttpHosts, clusterControlPlanes, retryAfterMax);
  }

  public OperatorConfig withHashKeySecret(String value) {
    return new OperatorConfig(namespaces, leaderElection, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        defaultRequestsPerSecond, defaultBurst, requestTimeout, adoptSkew, operatorNamespace, value,
        allowedHosts, plainHttpHosts, clusterControlPlanes, retryAfterMax);
  }

  public OperatorConfig withRemoteHosts(List<String> allowed, List<String> plainHttp) {
    return new OperatorConfig(namespaces, leaderElection, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        defaultRequestsPerSecond, defaultBurst, requestTimeout, adoptSkew, operatorNamespace, hashKeySecret,
        allowed, plainHttp, clusterControlPlanes, retryAfterMax);
  }

  public OperatorConfig withClusterControlPlanes(boolean value) {
    return new OperatorConfig(namespaces, leaderElection, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        defaultRequestsPerSecond, defaultBurst, requestTimeout, adoptSkew, operatorNamespace, hashKeySecret,
        allowedHosts, plainHttpHosts, value, retryAfterMax);
  }

  public OperatorConfig withRetryAfterMax(Duration value) {
    return new OperatorConfig(namespaces, leaderElection, httpPort, logFormat, resync,
        pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax, serverSideApply,
        defaultRequestsPerSecond, defaultBurst, requestTimeout, adoptSkew, operatorNamespace, hashKeySecret,
        allowedHosts, plainHttpHosts, clusterControlPlanes, value);
  }
}

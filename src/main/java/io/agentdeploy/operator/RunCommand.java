package io.agentdeploy.operator;

import io.agentdeploy.operator.config.DurationConverter;
import io.agentdeploy.operator.config.LeaderElection;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.remote.http.BaseUrlPolicy;
import io.agentdeploy.operator.remote.http.InvalidHostEntry;
import io.agentdeploy.operator.remote.http.RetryAfter;
import io.agentdeploy.operator.runtime.ClusterPreflight;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the operator against the cluster the standard kubeconfig resolution finds. Every option has
 * an AGENTDEPLOY_ environment variable.
 */
@Command(name = "run", description = "Run the operator (the default when no subcommand is given).",
    mixinStandardHelpOptions = true, showDefaultValues = true)
public class RunCommand implements Callable<Integer> {
  /** Exit code of a setting the operator cannot run with (picocli's code for a usage error). */
  static final int INVALID_SETTING = 2;
  /** Exit code when the cluster is unreachable, refuses the credentials or lacks the CRDs. */
  static final int CLUSTER_NOT_READY = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--namespaces", defaultValue = "${env:AGENTDEPLOY_NAMESPACES:-}",
      showDefaultValue = Visibility.NEVER,
      description = "Comma-separated namespaces to watch; empty watches all (env AGENTDEPLOY_NAMESPACES).")
  String namespaces;

  // Booleans: --x, --no-x and --x=true|false all work (picocli's negatable options, value optional).
  @Option(names = "--leader-election", negatable = true, arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:AGENTDEPLOY_LEADER_ELECTION:-false}",
      showDefaultValue = Visibility.ALWAYS,
      description = "Use a Lease so only one replica reconciles (env AGENTDEPLOY_LEADER_ELECTION).")
  boolean leaderElection;

  @Option(names = "--lease-name", defaultValue = "${env:AGENTDEPLOY_LEASE_NAME:-agent-deployment-operator}",
      description = "Name of the leader-election Lease (env AGENTDEPLOY_LEASE_NAME).")
  String leaseName;

  @Option(names = "--lease-namespace", defaultValue = "${env:AGENTDEPLOY_LEASE_NAMESPACE:-}",
      showDefaultValue = Visibility.NEVER,
      description = "Namespace of the Lease; default the pod's namespace (env AGENTDEPLOY_LEASE_NAMESPACE).")
  String leaseNamespace;

  @Option(names = "--lease-identity", defaultValue = "${env:AGENTDEPLOY_LEASE_IDENTITY:-}",
      showDefaultValue = Visibility.NEVER,
      description = "This replica's name in the Lease; default HOSTNAME, the pod name (env AGENTDEPLOY_LEASE_IDENTITY).")
  String leaseIdentity;

  @Option(names = "--lease-duration", defaultValue = "${env:AGENTDEPLOY_LEASE_DURATION:-15s}",
      converter = DurationConverter.class,
      description = "How long a Lease is valid without renewal (env AGENTDEPLOY_LEASE_DURATION).")
  Duration leaseDuration;

  @Option(names = "--lease-renew-deadline", defaultValue = "${env:AGENTDEPLOY_LEASE_RENEW_DEADLINE:-10s}",
      converter = DurationConverter.class,
      description = "The leader gives up if it cannot renew within this (env AGENTDEPLOY_LEASE_RENEW_DEADLINE).")
  Duration leaseRenewDeadline;

  @Option(names = "--lease-retry-period", defaultValue = "${env:AGENTDEPLOY_LEASE_RETRY_PERIOD:-2s}",
      converter = DurationConverter.class,
      description = "How often candidates try to take the Lease (env AGENTDEPLOY_LEASE_RETRY_PERIOD).")
  Duration leaseRetryPeriod;

  @Option(names = "--http-port", defaultValue = "${env:AGENTDEPLOY_HTTP_PORT:-8080}",
      description = "Port of /healthz, /readyz and /metrics (env AGENTDEPLOY_HTTP_PORT).")
  int httpPort;

  @Option(names = "--log-format", defaultValue = "${env:AGENTDEPLOY_LOG_FORMAT:-text}",
      description = "text or json (env AGENTDEPLOY_LOG_FORMAT).")
  String logFormat;

  @Option(names = "--log-level", defaultValue = "${env:AGENTDEPLOY_LOG_LEVEL:-info}",
      description = "trace, debug, info, warn or error (env AGENTDEPLOY_LOG_LEVEL).")
  String logLevel;

  @Option(names = "--resync-interval", defaultValue = "${env:AGENTDEPLOY_RESYNC_INTERVAL:-10m}",
      converter = DurationConverter.class,
      description = "Re-read stable resources from the remote this often (env AGENTDEPLOY_RESYNC_INTERVAL).")
  Duration resync;

  @Option(names = "--poll-initial", defaultValue = "${env:AGENTDEPLOY_POLL_INITIAL:-2s}",
      converter = DurationConverter.class,
      description = "First poll interval during a rollout (env AGENTDEPLOY_POLL_INITIAL).")
  Duration pollInitial;

  @Option(names = "--poll-max", defaultValue = "${env:AGENTDEPLOY_POLL_MAX:-30s}", converter = DurationConverter.class,
      description = "Longest poll interval during a rollout (env AGENTDEPLOY_POLL_MAX).")
  Duration pollMax;

  @Option(names = "--progress-deadline", defaultValue = "${env:AGENTDEPLOY_PROGRESS_DEADLINE:-30m}",
      converter = DurationConverter.class,
      description = "A rollout not done by then is ProgressDeadlineExceeded (env AGENTDEPLOY_PROGRESS_DEADLINE).")
  Duration progressDeadline;

  @Option(names = "--delete-warn-after", defaultValue = "${env:AGENTDEPLOY_DELETE_WARN_AFTER:-10m}",
      converter = DurationConverter.class,
      description = "Warn when a remote delete is still pending after this (env AGENTDEPLOY_DELETE_WARN_AFTER).")
  Duration deleteWarnAfter;

  @Option(names = "--retry-initial", defaultValue = "${env:AGENTDEPLOY_RETRY_INITIAL:-2s}",
      converter = DurationConverter.class,
      description = "First backoff after a transient remote error (env AGENTDEPLOY_RETRY_INITIAL).")
  Duration retryInitial;

  @Option(names = "--retry-max", defaultValue = "${env:AGENTDEPLOY_RETRY_MAX:-5m}", converter = DurationConverter.class,
      description = "Longest backoff after transient remote errors (env AGENTDEPLOY_RETRY_MAX).")
  Duration retryMax;

  @Option(names = "--server-side-apply", negatable = true, arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:AGENTDEPLOY_SERVER_SIDE_APPLY:-true}",
      showDefaultValue = Visibility.ALWAYS,
      description = "Patch with server-side apply; off for API servers without it (env "
          + "AGENTDEPLOY_SERVER_SIDE_APPLY).")
  boolean serverSideApply;

  @Option(names = "--rate-limit", defaultValue = "${env:AGENTDEPLOY_RATE_LIMIT:-5}",
      description = "Default requests per second per remote account (env AGENTDEPLOY_RATE_LIMIT).")
  double rateLimit;

  @Option(names = "--rate-burst", defaultValue = "${env:AGENTDEPLOY_RATE_BURST:-10}",
      description = "Default burst per remote account (env AGENTDEPLOY_RATE_BURST).")
  int rateBurst;

  @Option(names = "--request-timeout", defaultValue = "${env:AGENTDEPLOY_REQUEST_TIMEOUT:-30s}",
      converter = DurationConverter.class,
      description = "Deadline of one remote call: connect, headers, the whole body and the retries of a GET "
          + "or DELETE (env AGENTDEPLOY_REQUEST_TIMEOUT).")
  Duration requestTimeout;

  @Option(names = "--retry-after-max", defaultValue = "${env:AGENTDEPLOY_RETRY_AFTER_MAX:-10m}",
      converter = DurationConverter.class,
      description = "Longest pause a control plane's Retry-After may impose on its account; a longer one is cut "
          + "to this; at least 1s (env AGENTDEPLOY_RETRY_AFTER_MAX).")
  Duration retryAfterMax;

  @Option(names = "--operator-namespace", defaultValue = "${env:AGENTDEPLOY_OPERATOR_NAMESPACE:-}",
      showDefaultValue = Visibility.NEVER,
      description = "Namespace the operator runs in, where its own Secrets live; default the client's "
          + "namespace (env AGENTDEPLOY_OPERATOR_NAMESPACE; the chart sets the pod's namespace).")
  String operatorNamespace;

  @Option(names = "--hash-key-secret",
      defaultValue = "${env:AGENTDEPLOY_HASH_KEY_SECRET:-agent-deployment-operator-hash-key}",
      description = "Secret in the operator's namespace holding the key of the desired-state hash; created "
          + "if absent (env AGENTDEPLOY_HASH_KEY_SECRET).")
  String hashKeySecret;

  @Option(names = "--allowed-hosts", defaultValue = "${env:AGENTDEPLOY_ALLOWED_HOSTS:-}",
      showDefaultValue = Visibility.NEVER,
      description = "Comma-separated hosts a control plane's baseUrl may name: host, host:port, *.suffix, "
          + "*.suffix:port or [IPv6]; empty allows any https host (env AGENTDEPLOY_ALLOWED_HOSTS).")
  String allowedHosts;

  @Option(names = "--plain-http-hosts", defaultValue = "${env:AGENTDEPLOY_PLAIN_HTTP_HOSTS:-}",
      showDefaultValue = Visibility.NEVER,
      description = "Comma-separated hosts that may be reached over plain http, e.g. an in-cluster simulator "
          + "(same forms as --allowed-hosts; a listed host counts as allowed); localhost, 127.x.y.z and [::1] "
          + "always may (env AGENTDEPLOY_PLAIN_HTTP_HOSTS).")
  String plainHttpHosts;

  @Option(names = "--cluster-control-planes", negatable = true, arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:AGENTDEPLOY_CLUSTER_CONTROL_PLANES:-true}",
      showDefaultValue = Visibility.ALWAYS,
      description = "Serve ClusterControlPlanes; needs cluster-wide read of them and of Namespaces "
          + "(env AGENTDEPLOY_CLUSTER_CONTROL_PLANES).")
  boolean clusterControlPlanes;

  @Option(names = "--delete-batch-window", defaultValue = "${env:AGENTDEPLOY_DELETE_BATCH_WINDOW:-100ms}",
      converter = DurationConverter.class,
      description = "LangSmith deletes of one account due within this go out as one bulk call; more than 0, at "
          + "most 200ms (env AGENTDEPLOY_DELETE_BATCH_WINDOW).")
  Duration deleteBatchWindow;

  io.agentdeploy.operator.config.RemoteBatching batching() {
    return new io.agentdeploy.operator.config.RemoteBatching(deleteBatchWindow);
  }

  OperatorConfig config() {
    Set<String> ns = Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
    LeaderElection election = new LeaderElection(leaderElection, leaseName,
        leaseNamespace.isBlank() ? null : leaseNamespace, leaseIdentity.isBlank() ? null : leaseIdentity,
        leaseDuration, leaseRenewDeadline, leaseRetryPeriod);
    return new OperatorConfig(ns, election, httpPort, logFormat, resync, pollInitial, pollMax, progressDeadline, deleteWarnAfter, retryInitial, retryMax,
        serverSideApply, rateLimit, rateBurst, requestTimeout, Duration.ofSeconds(10),
        operatorNamespace.isBlank() ? null : operatorNamespace.strip(), hashKeySecret.strip(), hosts(allowedHosts),
        hosts(plainHttpHosts), clusterControlPlanes, retryAfterMax);
  }

  /** One line saying what is wrong with --retry-after-max, or empty when the operator can run with it. */
  Optional<String> retryAfterMaxProblem() {
    if (retryAfterMax.compareTo(RetryAfter.MIN) >= 0) {
      return Optional.empty();
    }
    return Optional.of("error: --retry-after-max (AGENTDEPLOY_RETRY_AFTER_MAX) must be at least "
        + RetryAfter.MIN.toSeconds() + "s (the shortest pause any Retry-After gets); it is "
        + retryAfterMax.toMillis() + "ms");
  }

  /**
   * Empty entries are kept (the policy refuses them): a stray comma must not turn "a.example.com,"
   * into something else, nor "," into an empty list, which would allow every https host.
   */
  private static java.util.List<String> hosts(String commaSeparated) {
    return commaSeparated.isBlank() ? java.util.List.of()
        : Arrays.stream(commaSeparated.split(",", -1)).map(String::trim).toList();
  }

  @Override
  public Integer call() throws Exception {
    OperatorConfig config = config();
    try {
      BaseUrlPolicy.of(config.allowedHosts(), config.plainHttpHosts());
    } catch (InvalidHostEntry e) {
      // One line naming the entry, before anything connects anywhere: a policy nobody meant never runs.
      spec.commandLine().getErr().println(e.getMessage());
      return INVALID_SETTING;
    }
    Optional<String> settingProblem = batching().problem().or(this::retryAfterMaxProblem);
    if (settingProblem.isPresent()) {
      spec.commandLine().getErr().println(settingProblem.get());
      return INVALID_SETTING;
    }
    io.agentdeploy.operator.config.LogSetup.configure(config.logFormat(), logLevel);
    // The standard kubeconfig resolution: in-cluster service account, KUBECONFIG, ~/.kube/config.
    Config kubernetes = Config.autoConfigure(null);
    // No cluster, no credentials or no CRDs: one line saying what to do, not informer stack traces.
    Optional<ClusterPreflight.Problem> problem = ClusterPreflight.check(kubernetes, config.clusterControlPlanes());
    if (problem.isPresent()) {
      spec.commandLine().getErr().println("error: " + problem.get().message());
      return CLUSTER_NOT_READY;
    }
    // Before the informers: /healthz answers while they sync (the startup probe waits for nothing
    // else), /readyz answers 503 until OperatorRuntime.start returns with every informer synced.
    HealthServer health = HealthServer.start(config.httpPort());
    KubernetesClient client = new KubernetesClientBuilder().withConfig(kubernetes).build();
    OperatorRuntime runtime;
    try {
      runtime = OperatorRuntime.start(client, config, batching(), Clock.systemUTC(), true);
    } catch (io.agentdeploy.operator.runtime.StartupFailure e) {
      // One line a person can act on, not a stack trace.
      spec.commandLine().getErr().println("error: cannot start: " + e.getMessage());
      client.close();
      health.close();
      return 1;
    } catch (RuntimeException | Error e) {
      // The server's thread would otherwise keep a failed process alive.
      health.close();
      throw e;
    }
    health.serve(runtime);
    // SIGTERM: stop reconciling, release the Lease, close the client; the JVM exits when this returns.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      org.slf4j.LoggerFactory.getLogger(RunCommand.class).info("shutting down");
      runtime.close();
      health.close();
    }, "shutdown"));
    Thread.currentThread().join();
    return 0;
  }
}

package io.agentdeploy.operator.runtime;

import io.agentdeploy.operator.config.LeaderElection;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.controller.AgentDeploymentReconciler;
import io.agentdeploy.operator.controller.Annotations;
import io.agentdeploy.operator.controller.ClusterControlPlaneReconciler;
import io.agentdeploy.operator.controller.ControlPlaneReadiness;
import io.agentdeploy.operator.controller.ControlPlaneReconciler;
import io.agentdeploy.operator.controller.ControlPlaneUsers;
import io.agentdeploy.operator.controller.EventRecorder;
import io.agentdeploy.operator.controller.OperatorMetrics;
import io.agentdeploy.operator.controller.TrimmedItemStore;
import io.agentdeploy.operator.remote.RemoteClients;
import io.agentdeploy.operator.remote.StateHasher;
import io.agentdeploy.operator.remote.http.BaseUrlPolicy;
import io.agentdeploy.operator.remote.http.HttpTransport;
import io.agentdeploy.operator.remote.http.ProxySettings;
import io.agentdeploy.operator.remote.http.RateLimiters;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator process: JOSDK with both controllers, the shared remote plumbing, and metrics. */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);

  private final Operator operator;
  private final PrometheusMeterRegistry meters;

  private final AtomicBoolean closing;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Runnable releaseLease;
  private final HttpTransport transport;
  private final KubernetesClient client;
  private final boolean ownsClient;
  private final ScheduledExecutorService sweeper;
  private final EventRecorder events;

  /** How long a graceful stop waits for queued Events to be written. */
  private static final Duration EVENTS_GRACE = Duration.ofSeconds(2);

  private OperatorRuntime(Operator operator, PrometheusMeterRegistry meters, AtomicBoolean closing,
      Runnable releaseLease, HttpTransport transport, KubernetesClient client, boolean ownsClient,
      ScheduledExecutorService sweeper, EventRecorder events) {
    this.events = events;
    this.ownsClient = ownsClient;
    this.sweeper = sweeper;
    this.operator = operator;
    this.meters = meters;
    this.closing = closing;
    this.releaseLease = releaseLease;
    this.transport = transport;
    this.client = client;
  }

  /**
   * Builds and starts the operator.
   *
   * @param ownsClient whether stopping the operator closes {@code client}
   * @throws io.agentdeploy.operator.remote.http.InvalidHostEntry when an allowed or plain-http
   *     host entry cannot be read
   */
  public static OperatorRuntime start(KubernetesClient client, OperatorConfig requested, Clock clock,
      boolean ownsClient) {
    return start(client, requested, io.agentdeploy.operator.config.RemoteBatching.defaults(), clock, ownsClient);
  }

  /** {@link #start(KubernetesClient, OperatorConfig, Clock, boolean)} with these batching settings. */
  public static OperatorRuntime start(KubernetesClient client, OperatorConfig requested,
      io.agentdeploy.operator.config.RemoteBatching batching, Clock clock, boolean ownsClient) {
    // Before anything starts: a host list that cannot be read stops the operator (InvalidHostEntry).
    BaseUrlPolicy policy = BaseUrlPolicy.of(requested.allowedHosts(), requested.plainHttpHosts());
    ProxySettings proxies = ProxySettings.fromEnvironment(System.getenv());
    if (!proxies.isEmpty()) {
      LOG.info("remote calls: {}", proxies.describe());
    }
    OperatorConfig config = requested.operatorNamespace() != null ? requested
        : requested.withOperatorNamespace(client.getNamespace() != null ? client.getNamespace() : "default");
    // Before any reconciler: every hash a reconciler writes is keyed with it.
    StateHasher hasher = new HashKeySecret(client, config.operatorNamespace(), config.hashKeySecret()).load();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicBoolean closing = new AtomicBoolean();
    ProcessMetrics process = new ProcessMetrics(meters, config.leaderElection().enabled());
    HttpTransport transport = new HttpTransport(meters, Duration.ofSeconds(10), config.requestTimeout(), 2, proxies,
        config.retryAfterMax());
    RemoteClients clients = new RemoteClients(transport, new RateLimiters(), policy, config.defaultRequestsPerSecond(),
        config.defaultBurst(), hasher, batching.deleteWindow());
    EventRecorder events = new EventRecorder(client, clock, Duration.ofMinutes(10));
    Gauge.builder("agentdeploy.events.pending", events, EventRecorder::pending)
        .description("Events recorded and not yet written to the API server (they go out after their reconcile)")
        .register(meters);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withResourceCloner(new ConvertingCloner(client.getKubernetesSerialization()))
          .withUseSSAToPatchPrimaryResource(config.serverSideApply())
          .withSSABasedCreateUpdateMatchForDependentResources(config.serverSideApply())
          // Closed here after the Lease is released (see close()), not by JOSDK's stop.
          .withCloseClientOnStop(false)
          // Reconciles in flight finish (a POST gets its answer) before the Lease goes to a standby.
          .withReconciliationTerminationTimeout(config.requestTimeout().plusSeconds(5))
          .withInformerStoppedHandler((informer, error) -> informerStopped(closing, informer.hasSynced(), error))
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meters));
      LeaderElection election = config.leaderElection();
      if (election.enabled()) {
        String identity = election.identity() != null ? election.identity() : defaultIdentity();
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(election.leaseName(),
            election.namespace(), election.leaseDuration(), election.renewDeadline(), election.retryPeriod(),
            identity, new LeaderCallbacks(() -> process.leading(true), () -> {
              process.leading(false);
              lostLeadership(closing);
            }, leader -> { }), false));
      }
    });
    ControlPlaneReadiness readiness = new ControlPlaneReadiness(meters);
    ControlPlaneUsers users = new ControlPlaneUsers();
    AgentDeploymentReconciler agents = new AgentDeploymentReconciler(config, clients, events, clock,
        new OperatorMetrics(meters), Startup::reconcileStarted, users);
    operator.register(agents, c -> {
      configure(c, config);
      c.withGenerationAware(false);
      c.withOnUpdateFilter(Annotations::worthReconciling);
    });
    ControlPlaneReconciler controlPlanes = new ControlPlaneReconciler(config, clients, events, clock, readiness, users);
    operator.register(controlPlanes, c -> configure(c, config));
    List<Runnable> sweeps = new ArrayList<>(List.of(agents::sweep, controlPlanes::sweep));
    if (config.clusterControlPlanes()) {
      ClusterControlPlaneReconciler clusterControlPlanes = new ClusterControlPlaneReconciler(config, clients, events,
          clock, readiness, users);
      operator.register(clusterControlPlanes, c -> {
        configure(c, config);
        c.settingNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES));
      });
      sweeps.add(clusterControlPlanes::sweep);
    }
    operator.start();
    // One task for the whole process: per-resource memory of resources gone without a cleanup.
    ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "per-resource-sweep");
      t.setDaemon(true);
      return t;
    });
    sweeper.scheduleWithFixedDelay(() -> sweeps.forEach(Runnable::run), config.resync().toMillis(),
        config.resync().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("operator started; watching {}", config.namespaces().isEmpty() ? "all namespaces" : config.namespaces());
    LeaderElection election = config.leaderElection();
    Runnable release = !election.enabled() ? () -> { }
        : () -> LeaseRelease.release(client, election.namespace() != null ? election.namespace()
            : client.getNamespace(), election.leaseName(),
            election.identity() != null ? election.identity() : defaultIdentity());
    return new OperatorRuntime(operator, meters, closing, release, transport, client, ownsClient, sweeper, events);
  }

  /**
   * A leader that loses its Lease must stop at once (another replica reconciles now): the
   * process exits and Kubernetes restarts it as a standby. Not while shutting down on purpose:
   * then the Lease is released and System.exit from inside a shutdown hook would hang the JVM.
   */
  private static void lostLeadership(AtomicBoolean closing) {
    if (closing.get()) {
      return;
    }
    LOG.error("lost leadership; exiting so that this replica restarts as a standby");
    new Thread(() -> System.exit(1), "exit-after-lost-leadership").start();
  }

  /**
   * JOSDK's default exits the JVM whenever a synced informer stops with an error, which also
   * happens while this runtime stops on purpose (its watches are closed under it). Only an
   * informer dying while the operator runs is fatal: without it events are missed for good.
   */
  private static void informerStopped(AtomicBoolean closing, boolean synced, Throwable error) {
    // Before it synced, JOSDK's startup check reports the error instead.
    if (closing.get() || !synced || error == null) {
      return;
    }
    LOG.error("a watch stopped for good ({}); exiting so that Kubernetes restarts the operator",
        error.getClass().getSimpleName());
    new Thread(() -> System.exit(1), "exit-after-informer-stopped").start();
  }

  /** The pod name (HOSTNAME in Kubernetes), else host and process id so local replicas differ. */
  static String defaultIdentity() {
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    return "agent-deployment-operator-" + ProcessHandle.current().pid();
  }

  private static <P extends io.fabric8.kubernetes.api.model.HasMetadata> void configure(
      ControllerConfigurationOverrider<P> c, OperatorConfig config) {
    c.settingNamespaces(config.namespaces().isEmpty() ? java.util.Set.of(Constants.WATCH_ALL_NAMESPACES)
        : config.namespaces());
    c.withReconciliationMaxInterval(config.resync());
    TrimmedItemStore.useWhereSafe(c, config.namespaces());
    // Remote errors are turned into rescheduleAfter by the reconcilers; this retry only covers
    // Kubernetes API failures, and never gives up.
    c.withRetry(new GenericRetry().setInitialInterval(config.retryInitial().toMillis()).setIntervalMultiplier(2)
        .setMaxInterval(config.retryMax().toMillis()).withoutMaxAttempts());
  }

  public Operator operator() {
    return operator;
  }

  /**
   * Waits until the Events recorded so far are written (they go out after the reconcile that
   * recorded them), at most {@code timeout}; false when the timeout came first.
   */
  public boolean flushEvents(Duration timeout) {
    return events.flush(timeout);
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /**
   * For chaos tests: dies like a killed process. In-flight remote calls are abandoned (their
   * answers are lost), the Kubernetes client is closed so a reconcile still running cannot write,
   * and the Lease is not released (a standby waits for it to expire).
   */
  public void crash() {
    closed.set(true);
    closing.set(true);
    sweeper.shutdownNow();
    transport.abandon();
    events.abandon();
    client.close();
    operator.stop();
  }

  /**
   * Graceful stop: running reconciles finish first (up to the request timeout plus 5 s, so no
   * write is left in flight for the next leader), then the Lease is released so a standby takes
   * over at once instead of waiting for it to expire, then the Events still queued are written (up
   * to 2 s), then the client is closed.
   */
  @Override
  public void close() {
    // Once: a second close (a shutdown hook after a test's own stop) must not touch a closed client.
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing.set(true);
    sweeper.shutdownNow();
    try {
      operator.stop();
      releaseLease.run();
    } finally {
      // After the Lease (a standby need not wait for them), before the client goes.
      events.close(EVENTS_GRACE);
      if (ownsClient) {
        client.close();
      }
    }
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import io.agentdeploy.operator.api.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The real operator against the embedded Kubernetes API, with short timings. Each test class
 * owns one; {@link #restartOperator()} simulates a crash (the Kubernetes state survives).
 */
final class OperatorHarness implements AutoCloseable {
  static final OperatorConfig FAST = OperatorConfig.defaults().withServerSideApply(false)
      .withTimings(Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofSeconds(20),
          Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(2))
      .withRequestTimeout(Duration.ofSeconds(2)).withRateLimit(200, 50);

  final EmbeddedKubernetes kube;
  final KubernetesClient client;
  private OperatorConfig config;
  private final Function<EmbeddedKubernetes, KubernetesClient> operatorClients;
  private OperatorRuntime runtime;
  private final Clock clock;

  OperatorHarness(OperatorConfig config) {
    this(config, EmbeddedKubernetes::newClient);
  }

  /** @param operatorClients makes each operator instance's client (e.g. one that records its requests) */
  OperatorHarness(OperatorConfig config, Function<EmbeddedKubernetes, KubernetesClient> operatorClients) {
    this(config, operatorClients, Clock.systemUTC());
  }

  /** @param clock the operator's clock (a test may move it ahead to let minutes pass) */
  OperatorHarness(OperatorConfig config, Function<EmbeddedKubernetes, KubernetesClient> operatorClients, Clock clock) {
    this.clock = clock;
    this.config = config;
    this.operatorClients = operatorClients;
    this.kube = EmbeddedKubernetes.start();
    this.client = kube.client();
    this.runtime = OperatorRuntime.start(operatorClients.apply(kube), config, clock, true);
  }

  OperatorHarness() {
    this(FAST);
  }

  OperatorRuntime runtime() {
    return runtime;
  }

  /** Stops the operator abruptly and starts a fresh one (new caches, no memory of the old one). */
  void restartOperator() {
    runtime.close();
    runtime = OperatorRuntime.start(operatorClients.apply(kube), config, clock, true);
  }

  /** Stops the operator and starts one with other settings (an upgrade that changes the configuration). */
  void restartOperator(OperatorConfig newConfig) {
    runtime.close();
    config = newConfig;
    runtime = OperatorRuntime.start(operatorClients.apply(kube), config, clock, true);
  }

  void stopOperator() {
    runtime.close();
  }

  void startOperator() {
    runtime = OperatorRuntime.start(operatorClients.apply(kube), config, clock, true);
  }

  /** The operator's hash key Secret (in its namespace: the client's, as in a pod). */
  io.fabric8.kubernetes.client.dsl.Resource<io.fabric8.kubernetes.api.model.Secret> hashKeySecret() {
    String ns = config.operatorNamespace() != null ? config.operatorNamespace() : client.getNamespace();
    return client.secrets().inNamespace(ns).withName(config.hashKeySecret());
  }

  /** The id of the key the operator hashes with now, read from its Secret. */
  String hashKeyId() {
    return io.agentdeploy.operator.remote.StateHasher.keyIdOf(java.util.Base64.getDecoder().decode(
        hashKeySecret().get().getData().get(io.agentdeploy.operator.runtime.HashKeySecret.KEY)));
  }

  /** Loses the hash key (as after a namespace re-creation without a backup) and restarts the operator. */
  void loseHashKeyAndRestart() {
    runtime.close();
    loseHashKey();
    runtime = OperatorRuntime.start(operatorClients.apply(kube), config, clock, true);
  }

  /** Deletes the hash key Secret; the next operator start makes a new key. */
  void loseHashKey() {
    hashKeySecret().delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> hashKeySecret().get() == null);
  }

  AgentDeployment get(String name) {
    return client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName(name).get();
  }

  ControlPlane controlPlane(String name) {
    return client.resources(ControlPlane.class).inNamespace(Resources.NS).withName(name).get();
  }

  static Optional<Condition> condition(AgentDeployment agd, String type) {
    return agd == null || agd.getStatus() == null ? Optional.empty()
        : Conditions.find(agd.getStatus().getConditions(), type);
  }

  AgentDeployment awaitAgent(String name, Duration timeout, Predicate<AgentDeployment> until) {
    return await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> get(name),
        a -> a != null && until.test(a));
  }

  /** Ready for the resource's current generation (the condition's own observedGeneration). */
  AgentDeployment awaitReady(String name) {
    return awaitAgent(name, Duration.ofSeconds(30), OperatorHarness::readyNow);
  }

  static boolean readyNow(AgentDeployment a) {
    return condition(a, Conditions.READY)
        .map(c -> "True".equals(c.getStatus()) && a.getMetadata().getGeneration().equals(c.getObservedGeneration()))
        .orElse(false);
  }

  static Predicate<AgentDeployment> reason(String type, String reason) {
    return a -> condition(a, type).map(c -> reason.equals(c.getReason())).orElse(false);
  }

  void awaitGone(String name) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> get(name) == null);
  }

  /** The Events about {@code name} the operator recorded so far (they are written after its reconcile). */
  List<Event> events(String name) {
    flushEvents();
    return client.v1().events().inNamespace(Resources.NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
  }

  /** Waits until the Events the operator recorded so far have reached the API server. */
  void flushEvents() {
    if (!runtime.flushEvents(Duration.ofSeconds(30))) {
      throw new AssertionError("the operator's recorded Events were not written within 30 s");
    }
  }

  long eventCount(String name, String reason) {
    return events(name).stream().filter(e -> reason.equals(e.getReason())).count();
  }

  List<String> eventMessages(String name, String reason) {
    return events(name).stream().filter(e -> reason.equals(e.getReason())).map(Event::getMessage).toList();
  }

  @Override
  public void close() {
    try {
      runtime.close();
    } finally {
      kube.close();
    }
  }
}

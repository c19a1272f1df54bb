package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.RateLimit;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.agentdeploy.operator.simulator.OpenApiContract;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** The operator, the embedded Kubernetes API and the simulator, wired together for lifecycle tests. */
final class SimulatedWorld implements AutoCloseable {
  static final String TENANT = "3d6f1a2b-4c5e-4f7a-8b9c-0d1e2f3a4b5c";
  static final String API_KEY = "lsv2_sk_lifecycle_test_key_0001";
  static final String CONTROL_PLANE = "langsmith";
  static final String AGENTEX_CONTROL_PLANE = "agentex";

  final Simulator sim;
  final OperatorHarness env;

  SimulatedWorld(SimulatorConfig simConfig, OperatorConfig operatorConfig) {
    this(simConfig, operatorConfig, EmbeddedKubernetes::newClient);
  }

  SimulatedWorld(SimulatorConfig simConfig, OperatorConfig operatorConfig,
      Function<EmbeddedKubernetes, KubernetesClient> operatorClients) {
    this(simConfig, operatorConfig, operatorClients, java.time.Clock.systemUTC());
  }

  /** @param clock the operator's clock (a test may move it ahead to let minutes pass) */
  SimulatedWorld(SimulatorConfig simConfig, OperatorConfig operatorConfig,
      Function<EmbeddedKubernetes, KubernetesClient> operatorClients, java.time.Clock clock) {
    this.sim = Simulator.start(simConfig.withApiKey(API_KEY));
    this.env = new OperatorHarness(operatorConfig, operatorClients, clock);
    env.client.resource(Resources.apiKeySecret("langsmith-key", API_KEY)).create();
    env.client.resource(Resources.controlPlane(CONTROL_PLANE, sim.baseUrl(), "langsmith-key", TENANT)).create();
    env.client.resource(Resources.agentexControlPlane(AGENTEX_CONTROL_PLANE, sim.baseUrl(), "langsmith-key")).create();
  }

  SimulatedWorld() {
    this(fastSimulator(), OperatorHarness.FAST);
  }

  static SimulatorConfig fastSimulator() {
    return SimulatorConfig.defaults().withTimings(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(500));
  }

  /** An instant remote: every rollout and deletion step takes no time (the benchmark setting). */
  static SimulatorConfig instantSimulator() {
    return SimulatorConfig.defaults().withTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  /** Sets a ControlPlane's {@code rateLimit} and waits until the operator applies it to the account. */
  void limitAccount(String controlPlane, double requestsPerSecond, int burst) {
    env.client.resources(ControlPlane.class).inNamespace(Resources.NS)
        .withName(controlPlane).edit(cp -> {
          RateLimit limit = new RateLimit();
          limit.setRequestsPerSecond(requestsPerSecond);
          limit.setBurst(burst);
          cp.getSpec().setRateLimit(limit);
          return cp;
        });
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
        () -> env.controlPlane(controlPlane).getStatus(),
        s -> s != null && s.getRateLimit() != null && s.getRateLimit().getRequestsPerSecond() == requestsPerSecond);
  }

  AgentDeployment apply(AgentDeployment agd) {
    return env.client.resource(agd).create();
  }

  AgentDeployment edit(String name, UnaryOperator<AgentDeployment> change) {
    return env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName(name).edit(change);
  }

  void delete(String name) {
    env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName(name).delete();
  }

  /** Remote deployments named {@code name}, as the simulator holds them (pending deletion included). */
  List<JsonNode> remote(String name) {
    return sim.langsmith().deployments().stream().filter(d -> name.equals(d.path("name").asText())).toList();
  }

  /** Requests about the remote deployment with this id (by path) or, for creates and lists, this name. */
  List<RecordedRequest> traffic(String name, String deploymentId) {
    return sim.requests().matching(r -> (deploymentId != null && r.path().contains(deploymentId))
        || (r.operation() == SimOperation.CREATE_DEPLOYMENT && r.requestBody().contains("\"name\":\"" + name + "\""))
        || (r.operation() == SimOperation.LIST_DEPLOYMENTS && r.query() != null
            && r.query().contains("name_contains=" + name + "&")));
  }

  /** Agentex deploys whose manifest names {@code agent}, newest first as the simulator lists them. */
  List<JsonNode> deploys(String agent) {
    return sim.agentex().deploys().stream().filter(d -> d.path("manifest_file").asText().contains("name: " + agent + "\n"))
        .toList();
  }

  long agentexCount(String agent, SimOperation op) {
    List<String> ids = deploys(agent).stream().map(d -> d.path("id").asText()).toList();
    return sim.requests().matching(r -> r.operation() == op && (ids.stream().anyMatch(id -> r.path().contains(id))
        || (r.requestBody() != null && r.requestBody().contains("name: " + agent + "\\n")))).size();
  }

  long count(String name, String deploymentId, SimOperation op) {
    return traffic(name, deploymentId).stream().filter(r -> r.operation() == op).count();
  }

  /**
   * Lets go of every AgentDeployment without touching the remote (deletionPolicy Orphan), so a
   * fault queued by one test reaches only that test.
   */
  void releaseAll() {
    List<AgentDeployment> all = env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).list()
        .getItems();
    for (AgentDeployment a : all) {
      String name = a.getMetadata().getName();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
        edit(name, x -> {
          x.getSpec().setDeletionPolicy(io.agentdeploy.operator.api.DeletionPolicy.Orphan);
          return x;
        });
        return true;
      });
      delete(name);
    }
    for (AgentDeployment a : all) {
      env.awaitGone(a.getMetadata().getName());
    }
  }

  void assertContract() {
    OpenApiContract.assertConforms(sim.requests().all());
  }

  @Override
  public void close() {
    try {
      env.close();
    } finally {
      sim.close();
    }
  }
}

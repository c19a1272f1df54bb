package io.agentdeploy.operator.chaos;

import io.agentdeploy.operator.lifecycle.Resources;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.TextSource;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The operator in-process against the embedded Kubernetes API, the simulator on loopback, and the
 * two ways an operator process ends: a crash (in-flight remote answers lost, no Lease release, no
 * drain) and a graceful stop. Kubernetes and remote state survive both. Modelled on the lifecycle
 * harness ({@code lifecycle.SimulatedWorld}), which is package-private there.
 */
final class ChaosWorld implements AutoCloseable {
  static final String NS = Resources.NS;
  static final String TENANT = "7a1c9e52-3b4d-4f60-8e21-5c6d7e8f9a0b";
  static final String API_KEY = "lsv2_sk_chaos_test_key_0001";
  static final String LANGSMITH_CP = "langsmith";
  static final String AGENTEX_CP = "agentex";

  final Simulator sim;
  final EmbeddedKubernetes kube;
  final KubernetesClient client;
  private final OperatorConfig config;
  private volatile OperatorRuntime runtime;
  int crashes;
  int graceful;

  ChaosWorld(SimulatorConfig simConfig, OperatorConfig operatorConfig) {
    this.sim = Simulator.start(simConfig.withApiKey(API_KEY));
    this.kube = EmbeddedKubernetes.start();
    this.client = kube.client();
    this.config = operatorConfig;
    client.resource(Resources.apiKeySecret("remote-key", API_KEY)).create();
    client.resource(Resources.controlPlane(LANGSMITH_CP, sim.baseUrl(), "remote-key", TENANT)).create();
    ControlPlane agentex = Resources.agentexControlPlane(AGENTEX_CP, sim.baseUrl(), "remote-key");
    agentex.getSpec().setAccountId("acct-chaos");
    client.resource(agentex).create();
    startOperator();
  }

  void startOperator() {
    runtime = OperatorRuntime.start(kube.newClient(), config, Clock.systemUTC(), true);
  }

  /** Kills the operator like SIGKILL would, then starts a fresh one (new caches, no memory). */
  void crashAndRestart() {
    runtime.crash();
    crashes++;
    startOperator();
  }

  /** Stops the operator cleanly (drains, releases the Lease), then starts a fresh one. */
  void gracefulRestart() {
    runtime.close();
    graceful++;
    startOperator();
  }

  static AgentDeployment langsmithAgent(String name, String image, String logLevel) {
    AgentDeployment agd = Resources.dockerAgent(name, LANGSMITH_CP, image);
    agd.getSpec().getLangsmith().getEnv().get(0).setValue(logLevel);
    return agd;
  }

  static String environment(int replicas) {
    return "env: prod\nreplicas: " + replicas + "\n";
  }

  static AgentDeployment agentexAgent(String name, String tag, int replicas) {
    AgentDeployment agd = Resources.agentexAgent(name, AGENTEX_CP, tag);
    agd.getSpec().getAgentex().setEnvironmentConfig(TextSource.inline(environment(replicas)));
    return agd;
  }

  void apply(AgentDeployment agd) {
    client.resource(agd).create();
  }

  /** Edits the spec; retried on a conflict with the operator's own status writes. */
  void edit(String name, UnaryOperator<AgentDeployment> change) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        client.resources(AgentDeployment.class).inNamespace(NS).withName(name).edit(change);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        last = e;
      }
    }
    throw last;
  }

  void delete(String name) {
    client.resources(AgentDeployment.class).inNamespace(NS).withName(name).delete();
  }

  List<AgentDeployment> all() {
    return client.resources(AgentDeployment.class).inNamespace(NS).list().getItems();
  }

  @Override
  public void close() {
    try {
      runtime.close();
    } finally {
      try {
        kube.close();
      } finally {
        sim.close();
      }
    }
  }
}

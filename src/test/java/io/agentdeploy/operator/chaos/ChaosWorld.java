package io.agentdeploy.operator.chaos;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentSpec;
import io.agentdeploy.operator.api.AgentexImage;
import io.agentdeploy.operator.api.AgentexSpec;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneReference;
import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.EnvVar;
import io.agentdeploy.operator.api.LangSmithRevisionConfig;
import io.agentdeploy.operator.api.LangSmithSource;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.api.TextSource;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The operator in-process against the embedded Kubernetes API, the simulator on loopback, and the
 * two ways an operator process ends: a crash (in-flight remote answers lost, no Lease release, no
 * drain) and a graceful stop. Kubernetes and remote state survive both. Modelled on the lifecycle
 * harness ({@code lifecycle.SimulatedWorld}), which is package-private there.
 */
final class ChaosWorld implements AutoCloseable {
  static final String NS = "agents";
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
    client.resource(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName("remote-key").withNamespace(NS)
        .build()).withStringData(Map.of("apiKey", API_KEY)).build()).create();
    client.resource(controlPlane(LANGSMITH_CP, Provider.LANGSMITH)).create();
    client.resource(controlPlane(AGENTEX_CP, Provider.AGENTEX)).create();
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

  private ControlPlane controlPlane(String name, Provider provider) {
    ControlPlane cp = new ControlPlane();
    cp.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    ControlPlaneSpec spec = new ControlPlaneSpec();
    spec.setProvider(provider);
    spec.setBaseUrl(sim.baseUrl());
    spec.setApiKeySecretRef(new SecretKeySelector("remote-key", "apiKey"));
    if (provider == Provider.LANGSMITH) {
      spec.setTenantId(TENANT);
    } else {
      spec.setAccountId("acct-chaos");
    }
    cp.setSpec(spec);
    return cp;
  }

  static AgentDeployment langsmithAgent(String name, String image, String logLevel) {
    AgentDeployment agd = new AgentDeployment();
    agd.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    AgentDeploymentSpec spec = new AgentDeploymentSpec();
    spec.setControlPlaneRef(new ControlPlaneReference(LANGSMITH_CP));
    LangSmithSpec ls = new LangSmithSpec();
    ls.setName(name);
    ls.setSource(LangSmithSource.EXTERNAL_DOCKER);
    LangSmithRevisionConfig rc = new LangSmithRevisionConfig();
    rc.setImageUri(image);
    ls.setRevisionConfig(rc);
    ls.setEnv(new ArrayList<>(List.of(new EnvVar("LOG_LEVEL", logLevel, null))));
    spec.setLangsmith(ls);
    agd.setSpec(spec);
    return agd;
  }

  static String manifest(String agent) {
    return "agent:\n  name: " + agent + "\n  description: chaos test agent\n";
  }

  static String environment(int replicas) {
    return "env: prod\nreplicas: " + replicas + "\n";
  }

  static AgentDeployment agentexAgent(String name, String tag, int replicas) {
    AgentDeployment agd = new AgentDeployment();
    agd.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    AgentDeploymentSpec spec = new AgentDeploymentSpec();
    spec.setControlPlaneRef(new ControlPlaneReference(AGENTEX_CP));
    AgentexSpec ax = new AgentexSpec();
    ax.setName(name);
    ax.setImage(new AgentexImage("registry.example.com/" + name, tag));
    ax.setManifest(TextSource.inline(manifest(name)));
    ax.setEnvironmentConfig(TextSource.inline(environment(replicas)));
    spec.setAgentex(ax);
    agd.setSpec(spec);
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

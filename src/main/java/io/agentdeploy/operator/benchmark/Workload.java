package io.agentdeploy.operator.benchmark;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentSpec;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneReference;
import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.LangSmithRevisionConfig;
import io.agentdeploy.operator.api.LangSmithSource;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.RateLimit;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;

/**
 * The objects of a run: one namespace, the API key Secret, a LangSmith ControlPlane aimed at the
 * simulator with a rate limit that never binds, and N alike AgentDeployments (an external image,
 * the simplest rollout: no build).
 */
final class Workload {
  static final String NAMESPACE = "bench";
  private static final String CONTROL_PLANE = "langsmith";
  private static final String SECRET = "langsmith-key";
  private static final String TENANT = "5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";

  private Workload() {}

  static Namespace namespace() {
    return new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build();
  }

  static Secret apiKey() {
    return new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(SECRET).withNamespace(NAMESPACE).build())
        .withStringData(Map.of("apiKey", "lsv2_benchmark_key")).build();
  }

  static ControlPlane controlPlane(String simulatorUrl) {
    ControlPlane cp = new ControlPlane();
    cp.setMetadata(new ObjectMetaBuilder().withName(CONTROL_PLANE).withNamespace(NAMESPACE).build());
    ControlPlaneSpec spec = new ControlPlaneSpec();
    spec.setProvider(Provider.LANGSMITH);
    spec.setBaseUrl(simulatorUrl);
    spec.setApiKeySecretRef(new SecretKeySelector(SECRET, "apiKey"));
    spec.setTenantId(TENANT);
    // The CRD's maximum: the benchmark measures the operator, not the account's budget.
    RateLimit limit = new RateLimit();
    limit.setRequestsPerSecond(1000.0);
    limit.setBurst(1000);
    spec.setRateLimit(limit);
    cp.setSpec(spec);
    return cp;
  }

  static String name(int index) {
    return String.format("agent-%05d", index);
  }

  /** The resources of the warm-up round: names the measured round never uses. */
  static String warmUpName(int index) {
    return String.format("warm-up-%05d", index);
  }

  static AgentDeployment agent(int index) {
    return agent(name(index));
  }

  static AgentDeployment agent(String name) {
    AgentDeployment agent = new AgentDeployment();
    agent.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    AgentDeploymentSpec spec = new AgentDeploymentSpec();
    spec.setControlPlaneRef(new ControlPlaneReference(CONTROL_PLANE));
    LangSmithSpec langsmith = new LangSmithSpec();
    langsmith.setName(name);
    langsmith.setSource(LangSmithSource.EXTERNAL_DOCKER);
    LangSmithRevisionConfig revision = new LangSmithRevisionConfig();
    revision.setImageUri("registry.example.com/agent:1");
    langsmith.setRevisionConfig(revision);
    spec.setLangsmith(langsmith);
    agent.setSpec(spec);
    return agent;
  }
}

package io.agentdeploy.operator.lifecycle;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentSpec;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneReference;
import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.EnvVar;
import io.agentdeploy.operator.api.EnvVarSource;
import io.agentdeploy.operator.api.LangSmithRevisionConfig;
import io.agentdeploy.operator.api.LangSmithSource;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders for the resources the lifecycle and chaos tests apply. */
public final class Resources {
  public static final String NS = "agents";

  private Resources() {}

  public static Secret apiKeySecret(String name, String key) {
    return new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build())
        .withStringData(Map.of("apiKey", key)).build();
  }

  static Secret secret(String name, Map<String, String> data) {
    return new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build())
        .withStringData(data).build();
  }

  public static ControlPlane controlPlane(String name, String baseUrl, String secretName, String tenant) {
    ControlPlane cp = new ControlPlane();
    cp.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    ControlPlaneSpec spec = new ControlPlaneSpec();
    spec.setProvider(Provider.LANGSMITH);
    spec.setBaseUrl(baseUrl);
    spec.setApiKeySecretRef(new SecretKeySelector(secretName, "apiKey"));
    spec.setTenantId(tenant);
    cp.setSpec(spec);
    return cp;
  }

  public static AgentDeployment dockerAgent(String name, String controlPlane, String image) {
    AgentDeployment agd = new AgentDeployment();
    agd.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    AgentDeploymentSpec spec = new AgentDeploymentSpec();
    spec.setControlPlaneRef(new ControlPlaneReference(controlPlane));
    LangSmithSpec ls = new LangSmithSpec();
    ls.setName(name);
    ls.setSource(LangSmithSource.EXTERNAL_DOCKER);
    LangSmithRevisionConfig rc = new LangSmithRevisionConfig();
    rc.setImageUri(image);
    ls.setRevisionConfig(rc);
    ls.setEnv(new ArrayList<>(List.of(new EnvVar("LOG_LEVEL", "info", null))));
    spec.setLangsmith(ls);
    agd.setSpec(spec);
    return agd;
  }

  public static ControlPlane agentexControlPlane(String name, String baseUrl, String secretName) {
    ControlPlane cp = controlPlane(name, baseUrl, secretName, null);
    cp.getSpec().setProvider(Provider.AGENTEX);
    cp.getSpec().setAccountId("acct-test");
    return cp;
  }

  public static String manifest(String agent) {
    return "agent:\n  name: " + agent + "\n  description: test agent\n";
  }

  public static AgentDeployment agentexAgent(String name, String controlPlane, String tag) {
    AgentDeployment agd = new AgentDeployment();
    agd.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    AgentDeploymentSpec spec = new AgentDeploymentSpec();
    spec.setControlPlaneRef(new ControlPlaneReference(controlPlane));
    io.agentdeploy.operator.api.AgentexSpec ax = new io.agentdeploy.operator.api.AgentexSpec();
    ax.setName(name);
    ax.setImage(new io.agentdeploy.operator.api.AgentexImage("registry.example.com/" + name, tag));
    ax.setManifest(io.agentdeploy.operator.api.TextSource.inline(manifest(name)));
    ax.setEnvironmentConfig(io.agentdeploy.operator.api.TextSource.inline("env: prod\nreplicas: 1\n"));
    spec.setAgentex(ax);
    agd.setSpec(spec);
    return agd;
  }

  static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVar(name, null, new EnvVarSource(new SecretKeySelector(secret, key)));
  }
}

package io.agentdeploy.operator.remote.agentex;

import io.agentdeploy.operator.api.AgentDeploymentSpec;
import io.agentdeploy.operator.api.AgentexSpec;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.TextSource;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.ProviderAdapter;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.SpecInputs;
import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.remote.StateHasher;
import io.agentdeploy.operator.remote.http.Endpoint;
import io.agentdeploy.operator.remote.http.HttpTransport;
import java.util.Optional;

/** Agentex behind the provider port: {@code spec.agentex} with ConfigMap texts resolved, and its client. */
public final class AgentexAdapter implements ProviderAdapter {
  @Override
  public Provider provider() {
    return Provider.AGENTEX;
  }

  @Override
  public java.util.List<String> configMapNames(AgentDeploymentSpec spec) {
    AgentexSpec agentex = spec.getAgentex();
    if (agentex == null) {
      return java.util.List.of();
    }
    return java.util.stream.Stream.of(agentex.getManifest(), agentex.getEnvironmentConfig())
        .filter(java.util.Objects::nonNull).map(TextSource::getConfigMapKeyRef).filter(java.util.Objects::nonNull)
        .map(ref -> ref.getName()).distinct().toList();
  }

  @Override
  public boolean changeIsNewRecord() {
    return true;
  }

  /** A non-preview deploy supersedes the agent's production release: one resource per agent and account. */
  @Override
  public Optional<String> exclusiveName(AgentDeploymentSpec spec) {
    return spec.getAgentex() == null || spec.getAgentex().getPreview() != null ? Optional.empty()
        : Optional.ofNullable(spec.getAgentex().getName());
  }

  @Override
  public String rolloutNoun() {
    return "deploy";
  }

  @Override
  public String apiKeyHeader() {
    return "x-api-key";
  }

  @Override
  public String accountHeader() {
    return "x-selected-account-id";
  }

  @Override
  public DesiredDeployment desiredState(AgentDeploymentSpec resourceSpec, SpecInputs inputs, StateHasher hasher)
      throws SpecProblem {
    AgentexSpec spec = resourceSpec.getAgentex();
    String manifest = text(spec.getManifest(), "spec.agentex.manifest", inputs);
    String environment = text(spec.getEnvironmentConfig(), "spec.agentex.environmentConfig", inputs);
    if (!AgentexMapper.isYaml(environment)) {
      throw new SpecProblem("InvalidSpec", "spec.agentex.environmentConfig is not YAML; fix its text, nothing is "
          + "sent until then");
    }
    Optional<String> declared = AgentexMapper.agentName(manifest);
    if (declared.isEmpty()) {
      throw new SpecProblem("InvalidSpec", "spec.agentex.manifest is not YAML naming the agent (agent.name)");
    }
    if (!declared.get().equals(spec.getName())) {
      throw new SpecProblem("InvalidSpec", "the manifest names agent " + declared.get() + " but spec.agentex.name is "
          + spec.getName() + "; they must match (the name is the Helm release)");
    }
    return AgentexMapper.toDesired(spec, manifest, environment, hasher);
  }

  private static String text(TextSource source, String where, SpecInputs inputs) throws SpecProblem {
    return source.getInline() != null ? source.getInline() : inputs.configMapValue(source.getConfigMapKeyRef(), where);
  }

  @Override
  public RemoteDeploymentClient client(HttpTransport transport, Endpoint endpoint) {
    return new AgentexClient(transport, endpoint);
  }
}

package io.agentdeploy.operator.remote.langsmith;

import io.agentdeploy.operator.api.AgentDeploymentSpec;
import io.agentdeploy.operator.api.EnvVar;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.ProviderAdapter;
import io.agentdeploy.operator.remote.RemoteDeploymentClient;
import io.agentdeploy.operator.remote.SpecInputs;
import io.agentdeploy.operator.remote.SpecProblem;
import io.agentdeploy.operator.remote.StateHasher;
import io.agentdeploy.operator.remote.http.Endpoint;
import io.agentdeploy.operator.remote.http.HttpTransport;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** LangSmith behind the provider port: {@code spec.langsmith} with env Secrets resolved, and its client. */
public final class LangSmithAdapter implements ProviderAdapter {
  private final BulkDeletes bulkDeletes;

  /** Deletes batched per account with the default window. */
  public LangSmithAdapter() {
    this(new BulkDeletes(BulkDeletes.DEFAULT_WINDOW));
  }

  public LangSmithAdapter(BulkDeletes bulkDeletes) {
    this.bulkDeletes = bulkDeletes;
  }

  @Override
  public Provider provider() {
    return Provider.LANGSMITH;
  }

  @Override
  public List<String> secretNames(AgentDeploymentSpec spec) {
    if (spec.getLangsmith() == null || spec.getLangsmith().getEnv() == null) {
      return List.of();
    }
    return spec.getLangsmith().getEnv().stream().map(EnvVar::getValueFrom).filter(java.util.Objects::nonNull)
        .map(v -> v.getSecretKeyRef()).filter(java.util.Objects::nonNull).map(ref -> ref.getName()).distinct().toList();
  }

  @Override
  public boolean deletesTracingProject(AgentDeploymentSpec spec) {
    return spec.getLangsmith() != null && Boolean.TRUE.equals(spec.getLangsmith().getDeleteTracingProject());
  }

  @Override
  public boolean changeIsNewRecord() {
    return false;
  }

  /** Names are unique per workspace and the API enforces it. */
  @Override
  public java.util.Optional<String> exclusiveName(AgentDeploymentSpec spec) {
    return java.util.Optional.empty();
  }

  @Override
  public String rolloutNoun() {
    return "revision";
  }

  @Override
  public String apiKeyHeader() {
    return "X-Api-Key";
  }

  @Override
  public String accountHeader() {
    return "X-Tenant-Id";
  }

  @Override
  public DesiredDeployment desiredState(AgentDeploymentSpec spec, SpecInputs inputs, StateHasher hasher)
      throws SpecProblem {
    LangSmithSpec langsmith = spec.getLangsmith();
    Map<String, String> env = new LinkedHashMap<>();
    Set<String> fromSecrets = new HashSet<>();
    List<EnvVar> entries = langsmith.getEnv() == null ? List.of() : langsmith.getEnv();
    for (EnvVar entry : entries) {
      if (env.containsKey(entry.getName())) {
        throw new SpecProblem("InvalidSpec", "spec.langsmith.env has the name " + entry.getName()
            + " more than once; each environment variable must be listed once");
      }
      EnvEntries.checkName(entry.getName());
      if (entry.getValueFrom() != null && entry.getValueFrom().getSecretKeyRef() != null) {
        String value = inputs.secretValue(entry.getValueFrom().getSecretKeyRef(),
            "spec.langsmith.env[" + entry.getName() + "]");
        EnvEntries.checkValue(entry.getName(), value, true);
        env.put(entry.getName(), value);
        fromSecrets.add(entry.getName());
      } else {
        String value = entry.getValue() == null ? "" : entry.getValue();
        EnvEntries.checkValue(entry.getName(), value, false);
        env.put(entry.getName(), value);
      }
    }
    return LangSmithMapper.toDesired(langsmith, env, fromSecrets, hasher);
  }

  @Override
  public RemoteDeploymentClient client(HttpTransport transport, Endpoint endpoint) {
    return new LangSmithClient(transport, endpoint, bulkDeletes);
  }
}

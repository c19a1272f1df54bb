package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentexSpec;
import io.agentdeploy.operator.api.ConfigMapKeySelector;
import io.agentdeploy.operator.api.TextSource;
import io.agentdeploy.operator.remote.agentex.AgentexMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.agentdeploy.operator.api.EnvVar;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.langsmith.LangSmithMapper;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Turns a spec into the provider's desired state, resolving every Secret reference. */
final class DesiredStates {
  private DesiredStates() {}

  /**
   * @param secrets looks a Secret up by name in the resource's namespace
   * @throws SpecProblem when a referenced Secret or key is missing, or the spec is inconsistent
   */
  static DesiredDeployment build(AgentDeployment resource, Function<String, Optional<Secret>> secrets,
      Function<String, Optional<ConfigMap>> configMaps) throws SpecProblem {
    if (resource.getSpec().getAgentex() != null) {
      return agentex(resource, configMaps);
    }
    LangSmithSpec langsmith = resource.getSpec().getLangsmith();
    if (langsmith == null) {
      throw new SpecProblem("InvalidSpec", "one of spec.langsmith and spec.agentex is required");
    }
    Map<String, String> env = new LinkedHashMap<>();
    Set<String> fromSecrets = new HashSet<>();
    List<EnvVar> entries = langsmith.getEnv() == null ? List.of() : langsmith.getEnv();
    for (EnvVar entry : entries) {
      if (env.containsKey(entry.getName())) {
        throw new SpecProblem("InvalidSpec", "spec.langsmith.env has the name " + entry.getName()
            + " more than once; each environment variable must be listed once");
      }
      if (entry.getValueFrom() != null && entry.getValueFrom().getSecretKeyRef() != null) {
        env.put(entry.getName(), secretValue(resource, entry, secrets));
        fromSecrets.add(entry.getName());
      } else {
        env.put(entry.getName(), entry.getValue() == null ? "" : entry.getValue());
      }
    }
    return LangSmithMapper.toDesired(langsmith, env, fromSecrets);
  }

  private static DesiredDeployment agentex(AgentDeployment resource, Function<String, Optional<ConfigMap>> configMaps)
      throws SpecProblem {
    AgentexSpec spec = resource.getSpec().getAgentex();
    String manifest = text(resource, "spec.agentex.manifest", spec.getManifest(), configMaps);
    String environment = text(resource, "spec.agentex.environmentConfig", spec.getEnvironmentConfig(), configMaps);
    Optional<String> declared = AgentexMapper.agentName(manifest);
    if (declared.isEmpty()) {
      throw new SpecProblem("InvalidSpec", "spec.agentex.manifest is not YAML naming the agent (agent.name)");
    }
    if (!declared.get().equals(spec.getName())) {
      throw new SpecProblem("InvalidSpec", "the manifest names agent " + declared.get() + " but spec.agentex.name is "
          + spec.getName() + "; they must match (the name is the Helm release)");
    }
    return AgentexMapper.toDesired(spec, manifest, environment);
  }

  private static String text(AgentDeployment resource, String where, TextSource source,
      Function<String, Optional<ConfigMap>> configMaps) throws SpecProblem {
    if (source.getInline() != null) {
      return source.getInline();
    }
    ConfigMapKeySelector ref = source.getConfigMapKeyRef();
    ConfigMap configMap = configMaps.apply(ref.getName()).orElseThrow(() -> new SpecProblem("ConfigMapNotFound",
        "ConfigMap " + ref.getName() + " (referenced by " + where + ") does not exist in namespace "
            + resource.getMetadata().getNamespace()));
    String value = configMap.getData() == null ? null : configMap.getData().get(ref.getKey());
    if (value == null) {
      throw new SpecProblem("ConfigMapKeyNotFound", "ConfigMap " + ref.getName() + " has no key " + ref.getKey()
          + " (referenced by " + where + ")");
    }
    return value;
  }

  private static String secretValue(AgentDeployment resource, EnvVar entry,
      Function<String, Optional<Secret>> secrets) throws SpecProblem {
    SecretKeySelector ref = entry.getValueFrom().getSecretKeyRef();
    String where = "spec.langsmith.env[" + entry.getName() + "]";
    Secret secret = secrets.apply(ref.getName()).orElseThrow(() -> new SpecProblem("SecretNotFound",
        "Secret " + ref.getName() + " (referenced by " + where + ") does not exist in namespace "
            + resource.getMetadata().getNamespace() + "; create it, nothing is sent to the control plane until then"));
    return Secrets.value(secret, ref.getKey()).orElseThrow(() -> new SpecProblem("SecretKeyNotFound",
        "Secret " + ref.getName() + " has no key " + ref.getKey() + " (referenced by " + where + ")"));
  }
}

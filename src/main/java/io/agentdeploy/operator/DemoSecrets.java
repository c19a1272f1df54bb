package io.agentdeploy.operator;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.EnvVar;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Secrets the examples refer to, with made-up values, as a user would create them with
 * {@code kubectl create secret} before applying the examples: the examples hold no Secret (keys do
 * not belong in git), so the demo makes them the way the quickstart says.
 */
final class DemoSecrets {
  private DemoSecrets() {}

  static List<Secret> referencedBy(List<HasMetadata> manifests) {
    // namespace/name -> key -> value, sorted so the demo creates them in a stable order
    Map<String, Map<String, String>> secrets = new TreeMap<>();
    for (HasMetadata m : manifests) {
      String ns = m.getMetadata().getNamespace();
      if (m instanceof ControlPlane cp) {
        add(secrets, ns, cp.getSpec().getApiKeySecretRef(), "demo-api-key");
      } else if (m instanceof AgentDeployment a && a.getSpec().getLangsmith() != null
          && a.getSpec().getLangsmith().getEnv() != null) {
        for (EnvVar env : a.getSpec().getLangsmith().getEnv()) {
          if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
            add(secrets, ns, env.getValueFrom().getSecretKeyRef(), "demo-value-of-" + env.getName());
          }
        }
      }
    }
    List<Secret> out = new ArrayList<>();
    secrets.forEach((id, data) -> out.add(new SecretBuilder().withNewMetadata().withNamespace(id.split("/")[0])
        .withName(id.split("/")[1]).endMetadata().withStringData(data).build()));
    return out;
  }

  private static void add(Map<String, Map<String, String>> secrets, String ns, SecretKeySelector ref, String value) {
    secrets.computeIfAbsent(ns + "/" + ref.getName(), k -> new TreeMap<>()).put(ref.getKey(), value);
  }
}

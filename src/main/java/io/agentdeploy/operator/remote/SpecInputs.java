package io.agentdeploy.operator.remote;

import io.agentdeploy.operator.api.ConfigMapKeySelector;
import io.agentdeploy.operator.api.SecretKeySelector;

/**
 * How a provider adapter reads the Kubernetes objects a spec refers to, without knowing where
 * they come from (informer caches in the operator). Both methods fail with a {@link SpecProblem}
 * that names the reference, so the message tells the user what to create or fix.
 */
public interface SpecInputs {
  /** The resource's namespace, for messages. */
  String namespace();

  /**
   * @param where the spec path that refers to the Secret, e.g. {@code spec.langsmith.env[TOKEN]}
   */
  String secretValue(SecretKeySelector ref, String where) throws SpecProblem;

  String configMapValue(ConfigMapKeySelector ref, String where) throws SpecProblem;
}

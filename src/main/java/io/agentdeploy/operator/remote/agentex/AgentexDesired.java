package io.agentdeploy.operator.remote.agentex;

import io.agentdeploy.operator.remote.DesiredDeployment;
import java.util.Set;

/**
 * An Agentex deploy as it will be posted, with ConfigMap references resolved.
 *
 * @param buildId the build, or null when deploying by image name and tag
 * @param expiresAt preview expiry (RFC 3339) or null for the remote's default
 * @param hash keyed hash of the deploy request (without the write-ahead nonce)
 */
public record AgentexDesired(String name, String manifest, String environment, String buildId, String imageName,
    String imageTag, boolean preview, String previewLabel, String expiresAt, String hash) implements DesiredDeployment {

  @Override
  public String nameField() {
    return "spec.agentex.name";
  }

  @Override
  public boolean hasWriteOnlyValues() {
    return false;
  }

  @Override
  public Set<String> sensitiveValues() {
    // Agentex has no secret values in the request: manifests reference secrets by name.
    return Set.of();
  }

  @Override
  public byte[] canonicalState() {
    return AgentexMapper.canonicalState(this);
  }

  @Override
  public String toString() {
    return "AgentexDesired[" + name + (preview ? ", preview" : "") + ", hash " + hash + "]";
  }
}

package io.agentdeploy.operator.remote.langsmith;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.remote.DesiredDeployment;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A LangSmith deployment as it will be sent: wire-shaped (snake_case) config objects and the
 * environment with every Secret reference resolved.
 *
 * @param sourceConfig source_config, only the fields the user set
 * @param revisionConfig source_revision_config, only the fields the user set
 * @param secrets the environment, sorted by name
 * @param secretValueNames names of the entries whose value came from a Kubernetes Secret
 * @param hash keyed hash of everything applied
 * @param deploymentHash keyed hash of everything but the revision config (what a revision does not record)
 */
public record LangSmithDesired(String name, String source, ObjectNode sourceConfig, ObjectNode revisionConfig,
    List<EnvEntry> secrets, Set<String> secretValueNames, boolean deleteTracingProject, String hash,
    String deploymentHash) implements DesiredDeployment {

  /** One environment entry as LangSmith stores it (every env var is a "secret" there). */
  public record EnvEntry(String name, String value) {
    @Override
    public String toString() {
      return "EnvEntry[" + name + "]";
    }
  }

  @Override
  public String nameField() {
    return "spec.langsmith.name";
  }

  @Override
  public boolean hasWriteOnlyValues() {
    return !secrets.isEmpty();
  }

  @Override
  public Set<String> sensitiveValues() {
    return secrets.stream().filter(e -> secretValueNames.contains(e.name())).map(EnvEntry::value)
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public String toString() {
    return "LangSmithDesired[" + name + ", " + source + ", hash " + hash + "]";
  }

  /** A commit id, {@code refs/tags/...}, or a version-like tag ({@code v1.2.3}, {@code 2024.05.1}). */
  private static final java.util.regex.Pattern FIXED_REF =
      java.util.regex.Pattern.compile("^([0-9a-fA-F]{7,40}|refs/tags/.+|v?\\d+(\\.\\d+)+([-+][0-9A-Za-z.-]+)?)$");

  @Override
  public byte[] canonicalState() {
    return LangSmithMapper.canonicalState(this);
  }

  @Override
  public byte[] canonicalDeploymentState() {
    return LangSmithMapper.canonicalDeploymentState(this);
  }

  /**
   * Images always (the revision records the image reference); GitHub only for a commit or a tag
   * without build-on-push, since a branch means "build the head now".
   */
  @Override
  public boolean sourceIdentifiesCode() {
    if ("external_docker".equals(source)) {
      return true;
    }
    String ref = revisionConfig.path("repo_ref").asText("");
    boolean buildOnPush = sourceConfig.path("build_on_push").asBoolean(false);
    return !buildOnPush && FIXED_REF.matcher(ref).matches();
  }
}

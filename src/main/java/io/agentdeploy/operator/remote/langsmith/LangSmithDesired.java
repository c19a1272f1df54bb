package io.agentdeploy.operator.remote.langsmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.remote.DesiredDeployment;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
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

  @Override
  public byte[] canonicalState() {
    return LangSmithMapper.canonicalState(this);
  }

  @Override
  public byte[] canonicalDeploymentState() {
    return LangSmithMapper.canonicalDeploymentState(this);
  }

  /**
   * Images always (the revision records the image reference). GitHub only when {@code repo_ref}
   * certainly names one commit ({@link RepoRef#fixed()}) and {@code build_on_push} is explicitly
   * false: a branch means "build the head now", and an unset build_on_push leaves the remote's
   * default, which nothing documents.
   */
  @Override
  public boolean sourceIdentifiesCode() {
    return identifiesCode(source, sourceConfig, revisionConfig);
  }

  static boolean identifiesCode(String source, ObjectNode sourceConfig, ObjectNode revisionConfig) {
    if ("external_docker".equals(source)) {
      return true;
    }
    if (!"github".equals(source)) {
      return false;
    }
    JsonNode buildOnPush = sourceConfig.get("build_on_push");
    boolean pinned = buildOnPush != null && buildOnPush.isBoolean() && !buildOnPush.booleanValue();
    return pinned && RepoRef.of(revisionConfig.path("repo_ref").asText("")).fixed();
  }

  /**
   * What a GitHub {@code repo_ref} names, read conservatively: a rollback redeploys only for a ref
   * that names one commit for good, a commit id or a tag (tags are taken as never moved; moving one
   * is a release error git warns about). Anything a branch could be called is a branch (the API
   * reads a bare name "as-is", so git decides), and a branch PATCHes: never wrong, only slower.
   */
  enum RepoRef {
    /** A full commit id: 40 lower-case hex digits, as git and GitHub print it. */
    COMMIT(Pattern.compile("[0-9a-f]{40}")),
    /** {@code refs/tags/NAME}: the spelling the API documents for a tag. */
    TAG(Pattern.compile("refs/tags/[^\\s]+")),
    /**
     * A release version with three numbers ({@code v1.2.3}, {@code 1.2.3}, {@code 2024.05.1},
     * optionally {@code -rc.1} / {@code +build}): by convention a tag. Two numbers ({@code 1.2})
     * are a common release-branch name, so they are not.
     */
    VERSION(Pattern.compile("v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?")),
    /**
     * Everything else, including short hex ({@code deadbeef} is a legal branch name and an
     * abbreviated id may become ambiguous), upper-case hex, {@code 1.2} and {@code refs/heads/...}.
     */
    BRANCH(null);

    private final Pattern pattern;

    RepoRef(Pattern pattern) {
      this.pattern = pattern;
    }

    static RepoRef of(String ref) {
      for (RepoRef kind : values()) {
        if (kind.pattern != null && kind.pattern.matcher(ref).matches()) {
          return kind;
        }
      }
      return BRANCH;
    }

    /** True for a commit or a tag: the revision that built this ref ran the code it names now. */
    boolean fixed() {
      return this != BRANCH;
    }
  }
}

package io.agentdeploy.operator.remote;

import java.util.Set;

/**
 * The provider-specific desired state of one remote deployment, built from the spec with every
 * reference (Secrets) resolved. {@link #sensitiveValues()} lists what must never be printed.
 */
public interface DesiredDeployment {
  /** The unique name the remote knows the deployment by. */
  String name();

  /** The spec field that holds {@link #name()}, for messages that ask the user to rename. */
  String nameField();

  /**
   * A stable keyed hash of everything that is applied (including secret values), for "did it
   * change"; what status stores (see {@link StateHasher}).
   */
  String hash();

  /**
   * The canonical bytes {@link #hash()} is made from. They hold Secret values: never stored or
   * printed, only hashed (again, unkeyed, to verify once a status an older version wrote).
   */
  byte[] canonicalState();

  /**
   * True when part of the state cannot be read back from the remote (secret values), so an
   * adopted deployment cannot be shown to match without applying it once.
   */
  boolean hasWriteOnlyValues();

  /** Values that must be redacted from any message derived from a request carrying this state. */
  Set<String> sensitiveValues();

  /**
   * Keyed hash of the deployment-level part of the state (everything a remote revision does not
   * record: env, resource spec, source config), or null where revisions cannot be redeployed.
   */
  default String deploymentHash() {
    return null;
  }

  /** The canonical bytes of {@link #deploymentHash()}, or null; like {@link #canonicalState()}. */
  default byte[] canonicalDeploymentState() {
    return null;
  }

  /**
   * True when the revision-level fields name exactly one build (an image, a tag or commit that is
   * not rebuilt on push), so the revision that ran them can be redeployed instead of rebuilt.
   */
  default boolean sourceIdentifiesCode() {
    return false;
  }
}

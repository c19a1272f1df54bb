package io.agentdeploy.operator.remote.langsmith;

import java.util.List;
import java.util.Set;

/** Facts about LangSmith fields, from shared/api/langsmith-control-plane-v2.yaml. */
final class LangSmithFields {
  /** source_config fields that cannot change after create (x-immutable). */
  static final List<String> IMMUTABLE_SOURCE_CONFIG =
      List.of("integration_id", "repo_url", "deployment_type", "listener_id", "listener_config");
  /** source_config fields compared with the remote to detect drift. */
  static final List<String> COMPARABLE_SOURCE_CONFIG =
      List.of("build_on_push", "custom_url", "install_command", "build_command", "resource_spec");
  /** source_revision_config fields compared with the remote to detect drift. */
  static final List<String> COMPARABLE_REVISION_CONFIG = List.of("repo_ref", "langgraph_config_path", "image_uri");

  static final Set<String> IN_PROGRESS =
      Set.of("CREATING", "QUEUED", "AWAITING_BUILD", "BUILDING", "AWAITING_DEPLOY", "DEPLOYING");
  static final String DEPLOYED = "DEPLOYED";
  /** End states that leave the revision not serving: they need a person, like a failure. */
  static final Set<String> STOPPED = Set.of("SKIPPED", "INTERRUPTED");
  static final String AWAITING_DELETE = "AWAITING_DELETE";

  private LangSmithFields() {}
}

package io.agentdeploy.operator.simulator;

import java.util.regex.Pattern;

/**
 * Makes revisions fail: when {@code field} of the revision config (image_uri or repo_ref) matches
 * {@code pattern}, the revision ends in {@code status} (BUILD_FAILED, DEPLOY_FAILED or CREATE_FAILED).
 */
public record FailureRule(String field, Pattern pattern, String status) {
  public static FailureRule image(String regex, String status) {
    return new FailureRule("image_uri", Pattern.compile(regex), status);
  }

  public static FailureRule repoRef(String regex, String status) {
    return new FailureRule("repo_ref", Pattern.compile(regex), status);
  }

  /** Agentex: deploys whose image tag matches end FAILED (with a BackOff warning event). */
  public static FailureRule agentexImageTag(String regex) {
    return new FailureRule("image_tag", Pattern.compile(regex), "FAILED");
  }

  boolean matches(String value) {
    return value != null && pattern.matcher(value).find();
  }
}

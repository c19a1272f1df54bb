package io.agentdeploy.operator.uninstall;

import java.util.List;

/** What the pre-uninstall check decided. */
public sealed interface Outcome {
  /** The process exit code: Helm aborts the uninstall on anything but 0. */
  int exitCode();

  /** AgentDeployments exist ({@code namespace/name}): the operator must stay to delete their remote deployments. */
  record Refused(List<String> agentDeployments) implements Outcome {
    @Override
    public int exitCode() {
      return 1;
    }
  }

  /** Nothing needs the operator: it is stopped and its finalizers are gone ({@code kind namespace/name}). */
  record Cleaned(List<String> released) implements Outcome {
    @Override
    public int exitCode() {
      return 0;
    }
  }

  /** The operator's pods did not stop in time; it was scaled back up and nothing was released. */
  record NotStopped(String why) implements Outcome {
    @Override
    public int exitCode() {
      return 2;
    }
  }
}

package io.agentdeploy.operator.runtime;

/**
 * A reason the operator cannot start that a person must fix (a setting, a Secret, a permission).
 * Its message is one line that says what and how; the command prints it without a stack trace.
 */
public final class StartupFailure extends RuntimeException {
  public StartupFailure(String message) {
    super(message, null, false, false);
  }
}

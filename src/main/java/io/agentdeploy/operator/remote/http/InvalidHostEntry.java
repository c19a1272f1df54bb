package io.agentdeploy.operator.remote.http;

/**
 * An entry of the operator's allowed or plain-http host list that cannot be read. The operator
 * refuses to start with this one-line message rather than run with a policy nobody meant.
 */
public final class InvalidHostEntry extends IllegalArgumentException {
  public InvalidHostEntry(String message) {
    super(message, null);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // reported as one line at start, never as a stack trace
  }
}

package io.agentdeploy.operator.remote.http;

/** A CA bundle that cannot be used; its message names the source and what is wrong, in one line. */
public final class InvalidTrustBundle extends IllegalArgumentException {
  public InvalidTrustBundle(String message) {
    super(message, null);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // reported as a status condition, never as a stack trace
  }
}

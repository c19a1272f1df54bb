package io.agentdeploy.operator.remote.http;

/**
 * A base URL the operator's {@link BaseUrlPolicy} allowed. Only the policy makes one, and an
 * {@link Endpoint} needs one: every request, and so every error text that reaches a status, goes
 * to or comes from a host the policy allowed.
 */
public final class AllowedBaseUrl {
  private final String text;
  private final Host host;
  private final int port;

  AllowedBaseUrl(String text, Host host, int port) {
    this.text = text;
    this.host = host;
    this.port = port;
  }

  /** The URL prefix requests are built on, without trailing slashes (may carry a path such as /api-host). */
  public String text() {
    return text;
  }

  /** The host and effective port, e.g. {@code api.host.langchain.com:443}. */
  public String hostAndPort() {
    return host.text() + ":" + port;
  }

  @Override
  public String toString() {
    return text;
  }
}

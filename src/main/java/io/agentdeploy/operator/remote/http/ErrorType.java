package io.agentdeploy.operator.remote.http;

/**
 * The {@code error_type} label of {@code agentdeploy_remote_requests_seconds}: a small closed set,
 * so alerts can select failures without parsing status codes. Documented in docs/install.md.
 */
public enum ErrorType {
  /** A 2xx answer. */
  NONE("none"),
  /** No complete answer (headers and whole body) within the request timeout. */
  TIMEOUT("timeout"),
  /** No answer at all: refused, reset, DNS, TLS, or the request was interrupted. */
  CONNECTION("connection"),
  /** 429. */
  RATE_LIMITED("rate_limited"),
  /** 401 or 403: the API key was refused. */
  UNAUTHORIZED("unauthorized"),
  /** Any other 4xx (including 404, which the operator often expects). */
  CLIENT("client"),
  /** 5xx, or a status outside 2xx-5xx. */
  SERVER("server");

  private final String label;

  ErrorType(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The type of an answer with this HTTP status code. */
  public static ErrorType of(int code) {
    if (code / 100 == 2) {
      return NONE;
    }
    if (code == 429) {
      return RATE_LIMITED;
    }
    if (code == 401 || code == 403) {
      return UNAUTHORIZED;
    }
    return code / 100 == 4 ? CLIENT : SERVER;
  }
}

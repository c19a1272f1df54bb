package io.agentdeploy.operator.remote;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed remote call, classified so the reconciler can decide what to do without knowing HTTP.
 * Messages are built to be safe for status, events and logs: they never contain credentials or
 * secret values (see {@link io.agentdeploy.operator.remote.http.Redactor}), and text from the
 * remote only from a JSON error body, bounded (see {@code remote.http.ErrorBody}).
 */
public final class RemoteException extends RuntimeException {

  /** What a caller should do about the failure. */
  public enum Kind {
    /** Transient (5xx, timeout, dropped connection): try again with backoff. */
    RETRYABLE,
    /** The remote asked us to slow down: wait at least {@link #retryAfter()}. */
    RATE_LIMITED,
    /**
     * The remote refused the content (400/422, as the provider client classifies it per
     * operation): not sent again until the spec changes or a retry is asked for.
     */
    INVALID,
    /**
     * 409: the request collided with the remote's current state (a concurrent change, a create
     * that already exists). Retryable; on create the ownership lookup runs first.
     */
    CONFLICT,
    /** The object does not exist (404). */
    NOT_FOUND,
    /** The credentials were refused (401/403): wait for the Secret or ControlPlane to change. */
    UNAUTHORIZED,
    /** Another revision is still rolling out: retryable, the remote will accept the change later. */
    ROLLOUT_IN_PROGRESS,
    /**
     * The control plane's TLS certificate is not trusted (an unknown CA, another name, expired):
     * a person fixes it (spec.caBundle, or the server's certificate); retried with backoff.
     */
    UNTRUSTED,
    /**
     * Nothing else classified it: a request the client could not build, an answer it could not
     * use (a malformed id), an exception no step expected. Named by its class only (the original
     * text may hold a key or the remote's words); retried with backoff.
     */
    UNEXPECTED
  }

  private final Kind kind;
  private final int httpStatus;
  private final Duration retryAfter;
  private final String requestId;
  private final String apiDetail;

  public RemoteException(Kind kind, int httpStatus, String message, Duration retryAfter, String requestId,
      Throwable cause) {
    this(kind, httpStatus, message, retryAfter, requestId, cause, null);
  }

  /**
   * @param apiDetail the {@code detail} string of a JSON error body (redacted and bounded), or null
   *     when the answer had no such body (an HTML page, plain text, another shape): tells the API's
   *     own not-found from a proxy's
   */
  public RemoteException(Kind kind, int httpStatus, String message, Duration retryAfter, String requestId,
      Throwable cause, String apiDetail) {
    super(message, cause, false, cause != null);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter;
    this.requestId = requestId;
    this.apiDetail = apiDetail;
  }

  public RemoteException(Kind kind, int httpStatus, String message) {
    this(kind, httpStatus, message, null, null, null);
  }

  /**
   * An exception nothing classified, as a redacted error: its class and the operator's own code
   * line it came through, never its message (an invalid header's message quotes the header value,
   * a URI's the whole URL). No cause is kept, so no stack trace can carry that text either.
   *
   * @param what what was being done, e.g. "langsmith getRevision"
   */
  public static RemoteException unexpected(String what, Throwable cause) {
    return new RemoteException(Kind.UNEXPECTED, 0, what + ": unexpected " + cause.getClass().getSimpleName()
        + origin(cause), null, null, null);
  }

  /** " at File.java:123" for the first frame of the operator's own code, or "" when there is none. */
  private static String origin(Throwable cause) {
    for (StackTraceElement frame : cause.getStackTrace()) {
      if (frame.getClassName().startsWith("io.agentdeploy.") && frame.getFileName() != null) {
        return " at " + frame.getFileName() + ":" + frame.getLineNumber();
      }
    }
    return "";
  }

  /** The same failure (status, message, request id, detail) classified as {@code newKind}. */
  public RemoteException as(Kind newKind) {
    return new RemoteException(newKind, httpStatus, getMessage(), retryAfter, requestId, null, apiDetail);
  }

  public Kind kind() { return kind; }

  /** The HTTP status, or 0 when no response arrived. */
  public int httpStatus() { return httpStatus; }

  public Optional<Duration> retryAfter() { return Optional.ofNullable(retryAfter); }

  public Optional<String> requestId() { return Optional.ofNullable(requestId); }

  public Optional<String> apiDetail() { return Optional.ofNullable(apiDetail); }

  /** True when retrying the same request later may succeed without a spec change. */
  public boolean isTransient() {
    return kind == Kind.RETRYABLE || kind == Kind.RATE_LIMITED || kind == Kind.ROLLOUT_IN_PROGRESS
        || kind == Kind.CONFLICT;
  }
}

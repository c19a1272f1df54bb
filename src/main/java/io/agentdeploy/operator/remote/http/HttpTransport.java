package io.agentdeploy.operator.remote.http;

import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.RemoteException.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP path to every remote: rate limit, auth headers, timeouts, bounded retries of
 * idempotent calls, error classification, redaction and request metrics.
 */
public final class HttpTransport {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  /** Histogram buckets of request latency: few enough to keep the series count modest. */
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final HttpClients clients;
  private final ProxyRoutes routes;
  private final MeterRegistry meters;
  private final Duration requestTimeout;
  private final int idempotentRetries;
  private final RetryAfter retryAfter;
  /** Set by {@link #abandon()}: a crashed process neither sends nor hears anything more. */
  private volatile boolean abandoned;
  /** When each account (URL, credentials, trust) last answered 2xx, in {@link System#nanoTime()}. */
  private final Map<Endpoint.Credentials, Long> lastAnswered = new ConcurrentHashMap<>();

  public HttpTransport(MeterRegistry meters, Duration connectTimeout, Duration requestTimeout, int idempotentRetries) {
    this(meters, connectTimeout, requestTimeout, idempotentRetries, ProxySettings.none());
  }

  /** @param proxies the forward proxy of remote calls (the Kubernetes client has its own settings) */
  public HttpTransport(MeterRegistry meters, Duration connectTimeout, Duration requestTimeout, int idempotentRetries,
      ProxySettings proxies) {
    this(meters, connectTimeout, requestTimeout, idempotentRetries, proxies, RetryAfter.DEFAULT_MAX);
  }

  /**
   * @param retryAfterMax the longest pause a Retry-After may impose on an account, at least
   *     {@link RetryAfter#MIN}
   */
  public HttpTransport(MeterRegistry meters, Duration connectTimeout, Duration requestTimeout, int idempotentRetries,
      ProxySettings proxies, Duration retryAfterMax) {
    this.retryAfter = new RetryAfter(retryAfterMax);
    this.routes = ProxyRoutes.of(proxies);
    this.clients = new HttpClients(connectTimeout, routes);
    this.meters = meters;
    this.requestTimeout = requestTimeout;
    this.idempotentRetries = idempotentRetries;
  }

  /**
   * Sends {@code request}; returns a 2xx answer or throws a classified {@link RemoteException}.
   *
   * <p>The call has one deadline, the request timeout, over all its attempts, the pauses between
   * them and each whole answer, body included ({@link CallDeadline}); past it the exchange is
   * cancelled and the call fails as a retryable timeout. GET and DELETE (idempotent) are tried
   * again after a transient failure ({@link #transientFailure}) while the deadline leaves room; a
   * POST or PATCH never is: its caller looks the write up before sending it again. A thread spends
   * at most {@link CallDeadline#bound} here; an interrupt cancels the exchange in flight.
   */
  public ApiResponse send(Endpoint endpoint, ApiRequest request) {
    CallDeadline deadline = new CallDeadline(requestTimeout);
    int attempt = 0;
    while (true) {
      try {
        return classified(endpoint, request, deadline);
      } catch (RemoteException e) {
        if (!request.idempotent() || !transientFailure(e) || attempt >= idempotentRetries
            || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        Duration pause = backoff(attempt + 1);
        if (!deadline.allowsAnotherAttempt(pause)) {
          throw e;
        }
        attempt++;
        if (!sleep(pause)) {
          throw e;
        }
      }
    }
  }

  /**
   * Whether the same request may get another answer a moment later: no answer at all (a timeout, a
   * dropped connection), a 408, or a 5xx other than 501 and 505. Other answers the reconcile treats
   * as retryable (a 405 from a proxy, a 3xx, a 413) say something about the request or the route
   * that a second attempt within the same call would only repeat; the pass backs off instead, and
   * the bulk delete learns at once that a route is missing.
   */
  static boolean transientFailure(RemoteException e) {
    if (e.kind() != Kind.RETRYABLE) {
      return false;
    }
    int status = e.httpStatus();
    return status == 0 || status == 408 || (status >= 500 && status != 501 && status != 505);
  }

  /**
   * How long ago {@code endpoint}'s URL last answered 2xx to its credentials, through any request:
   * a batch list proves the key and URL work as well as a dedicated check does. Empty when it never
   * has, or when its last answer refused the credentials (401, 403).
   */
  public Optional<Duration> sinceLastAnswer(Endpoint endpoint) {
    Long at = lastAnswered.get(endpoint.credentials());
    return at == null ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - at));
  }

  /**
   * Simulates a crash of the process for tests: every in-flight and future {@link #send} throws a
   * retryable error; an answer that arrives after this is discarded as if lost with the process.
   */
  public void abandon() {
    abandoned = true;
  }

  private RemoteException abandonedError(Endpoint endpoint, ApiRequest request) {
    return new RemoteException(Kind.RETRYABLE, 0, endpoint.provider() + " " + request.operation()
        + ": transport abandoned (process crashed)", null, null, null);
  }

  /**
   * One attempt, whatever goes wrong in it a {@link RemoteException}: a request that cannot be
   * built (a path or header the URI and header rules refuse) or an exception of the HTTP client is
   * named by its class, never by its message, which may quote the URL or a header value.
   */
  private ApiResponse classified(Endpoint endpoint, ApiRequest request, CallDeadline deadline) {
    try {
      return sendOnce(endpoint, request, deadline);
    } catch (RemoteException e) {
      throw e;
    } catch (RuntimeException e) {
      throw RemoteException.unexpected(endpoint.provider() + " " + request.operation(), e);
    }
  }

  private ApiResponse sendOnce(Endpoint endpoint, ApiRequest request, CallDeadline deadline) {
    if (abandoned) {
      throw abandonedError(endpoint, request);
    }
    try {
      RateLimiters.acquire(endpoint.bucket());
    } catch (RemoteException e) {
      if (e.kind() != Kind.RATE_LIMITED) {
        throw e;
      }
      // Not sent: the account's client-side budget is spent. A steady rate of these says the
      // account needs a higher rateLimit or a longer resync (docs/troubleshooting.md).
      Counter.builder("agentdeploy.remote.requests.deferred")
          .description("Remote requests the client-side rate limit did not send now (the pass comes back later)")
          .tag("provider", endpoint.provider()).tag("operation", request.operation())
          .register(meters).increment();
      throw e;
    }
    CallScope.sending(request);
    deadline.start();
    Duration attemptDeadline = deadline.remaining();
    Set<String> sensitive = new HashSet<>(request.sensitive());
    sensitive.addAll(endpoint.secretHeaderValues());
    URI target = uri(endpoint, request);
    HttpRequest.Builder builder = HttpRequest.newBuilder(target)
        .timeout(attemptDeadline.isNegative() || attemptDeadline.isZero() ? Duration.ofMillis(1) : attemptDeadline)
        .header("Accept", "application/json");
    routes.headersFor(target).forEach(builder::header);
    endpoint.authHeaders().forEach(builder::header);
    if (request.jsonBody() != null) {
      builder.header("Content-Type", "application/json")
          .method(request.method(), HttpRequest.BodyPublishers.ofString(request.jsonBody()));
    } else {
      builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
    }
    long start = System.nanoTime();
    String statusTag = "error";
    int code = 0;
    ErrorType errorType = ErrorType.CONNECTION;
    try {
      // The whole answer within the deadline: the request's own timeout stops at the headers.
      HttpResponse<String> response = DeadlineExchange.send(clients.forTrust(endpoint.trust()), builder.build(),
          HttpResponse.BodyHandlers.ofString(), attemptDeadline);
      if (abandoned) {
        throw abandonedError(endpoint, request); // the answer is lost with the crashed process
      }
      statusTag = Integer.toString(response.statusCode());
      code = response.statusCode();
      errorType = ErrorType.of(code);
      String requestId = response.headers().firstValue("x-request-id").orElse(null);
      LOG.debug("remote {} {} {} -> {} in {} ms (request id {})", endpoint.provider(), request.operation(),
          request.path(), response.statusCode(), (System.nanoTime() - start) / 1_000_000, requestId);
      if (response.statusCode() / 100 == 2) {
        lastAnswered.put(endpoint.credentials(), System.nanoTime());
        return new ApiResponse(response.statusCode(), response.body(), requestId);
      }
      throw classify(endpoint, request, response, requestId, sensitive);
    } catch (HttpTimeoutException e) {
      statusTag = "timeout";
      errorType = ErrorType.TIMEOUT;
      throw new RemoteException(Kind.RETRYABLE, 0, endpoint.provider() + " " + request.operation()
          + ": no complete answer within the request timeout (" + requestTimeout.toMillis() + " ms)", null, null,
          null);
    } catch (IOException e) {
      var tls = TlsFailure.find(e, target.getHost(), endpoint.trust() != null);
      Kind kind = tls.map(t -> t.certificate() ? Kind.UNTRUSTED : Kind.RETRYABLE).orElse(Kind.RETRYABLE);
      throw new RemoteException(kind, 0, endpoint.provider() + " " + request.operation() + ": "
          + tls.map(TlsFailure.Found::message).orElseGet(() -> "connection failed (" + describe(e, sensitive) + ")"),
          null, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException(Kind.RETRYABLE, 0, "interrupted", null, null, null);
    } finally {
      // "status" stays as it always was (dashboards use it); "code" and "error_type" split it cleanly.
      Timer.builder("agentdeploy.remote.requests")
          .description("Requests to remote control planes")
          .tag("provider", endpoint.provider()).tag("operation", request.operation()).tag("status", statusTag)
          .tag("code", code == 0 ? "none" : Integer.toString(code)).tag("error_type", errorType.label())
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(meters).record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private RemoteException classify(Endpoint endpoint, ApiRequest request, HttpResponse<String> response,
      String requestId, Set<String> sensitive) {
    int status = response.statusCode();
    // The endpoint's URL passed the base-URL policy, so this text comes from a host the operator allows.
    ErrorBody body = ErrorBody.of(status, response.headers().firstValue("content-type").orElse(null), response.body(),
        sensitive);
    String message = endpoint.provider() + " " + request.operation() + " answered " + status
        + (body.detail().isEmpty() ? "" : ": " + body.detail());
    Duration retryAfter = this.retryAfter.parse(response.headers().firstValue("retry-after").orElse(null),
        java.time.Clock.systemUTC()).orElse(null);
    if (status == 401 || status == 403) {
      lastAnswered.remove(endpoint.credentials()); // the credentials stopped working: no longer proven
    }
    if (status == 429) {
      Duration pause = retryAfter != null ? retryAfter : Duration.ofSeconds(1);
      endpoint.bucket().pauseFor(pause);
      return new RemoteException(Kind.RATE_LIMITED, status, message, pause, requestId, null);
    }
    // A first reading only: the provider client decides per operation what a 400, 409 or 422
    // means (a create re-runs the lookup, a PATCH looks at the rollout, a DELETE re-observes).
    Kind kind = switch (status) {
      case 400, 422 -> Kind.INVALID;
      case 409 -> Kind.CONFLICT;
      case 401, 403 -> Kind.UNAUTHORIZED;
      case 404, 410 -> Kind.NOT_FOUND;
      default -> Kind.RETRYABLE;
    };
    if (status == 503 && retryAfter != null) {
      endpoint.bucket().pauseFor(retryAfter);
    }
    return new RemoteException(kind, status, message, retryAfter, requestId, null, body.apiDetail());
  }

  /** The pause a Retry-After asks for under the default cap, or null without a readable one (see {@link RetryAfter}). */
  static Duration parseRetryAfter(String value) {
    return RetryAfter.DEFAULT.parse(value, java.time.Clock.systemUTC()).orElse(null);
  }

  private static String describe(IOException e, Set<String> sensitive) {
    String message = e.getMessage() == null ? "" : ": " + Redactor.redact(e.getMessage(), sensitive);
    return e.getClass().getSimpleName() + message;
  }

  private static URI uri(Endpoint endpoint, ApiRequest request) {
    StringBuilder url = new StringBuilder(endpoint.baseUrl().text()).append(request.path());
    char sep = '?';
    for (Map.Entry<String, String> e : request.query().entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      url.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    for (Map.Entry<String, java.util.List<String>> e : request.repeated().entrySet()) {
      for (String value : e.getValue()) {
        url.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    return URI.create(url.toString());
  }

  private static Duration backoff(int attempt) {
    long base = 100L << Math.min(attempt, 6);
    return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
  }

  /** Pauses between attempts; false when interrupted (the flag is kept, no further attempt is made). */
  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

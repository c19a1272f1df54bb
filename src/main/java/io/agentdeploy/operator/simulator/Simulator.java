package io.agentdeploy.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stateful fake of the LangSmith Deployment Control Plane API v2 on loopback, with fault
 * injection and a request log. Shares no code with the operator's client on purpose, so a
 * mistake in one cannot hide behind the same mistake in the other.
 */
public final class Simulator implements AutoCloseable {
  public static final String PROVIDER_LANGSMITH = "langsmith";
  public static final String PROVIDER_AGENTEX = "agentex";
  private static final Set<String> SECRET_HEADERS = Set.of("x-api-key", "authorization");

  private final SimulatorConfig config;
  /** The keys accepted now; null accepts any non-empty key. Starts as the configured key. */
  private volatile java.util.Set<String> acceptedKeys;
  private final HttpServer server;
  private final ExecutorService executor;
  private final LangSmithState langsmith;
  private final LangSmithApi langsmithApi;
  private final AgentexState agentex;
  private final AgentexApi agentexApi;
  private final Faults faults;
  private final RequestLog requests;
  /** What nginx in front of the API answers for a path it cannot route (fault {@link Fault.HtmlNotFound}). */
  static final String HTML_NOT_FOUND = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
      + "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

  private Simulator(SimulatorConfig config) throws IOException {
    this.config = config;
    this.acceptedKeys = config.apiKey() == null ? null : java.util.Set.of(config.apiKey());
    this.langsmith = new LangSmithState(config);
    this.langsmithApi = new LangSmithApi(langsmith, config);
    this.agentex = new AgentexState(config);
    this.agentexApi = new AgentexApi(agentex);
    this.faults = new Faults(config.seed(), config.latency(), config.faultRate());
    this.requests = new RequestLog(config.requestLogCapacity());
    this.server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 64);
    this.executor = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "simulator-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::serve);
  }

  public static Simulator start(SimulatorConfig config) {
    // Without TCP_NODELAY the JDK server's answers wait on Nagle's algorithm (about 40 ms each).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    try {
      Simulator simulator = new Simulator(config);
      simulator.server.start();
      return simulator;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot start the simulator on port " + config.port(), e);
    }
  }

  /**
   * e.g. {@code http://127.0.0.1:41234}; the LangSmith API is under {@code /v2}, also under
   * {@code /api-host/v2}. Bound to every address (0.0.0.0), it names loopback, which is among them.
   */
  public String baseUrl() {
    InetAddress bound = server.getAddress().getAddress();
    if (bound.isAnyLocalAddress() || bound.isLoopbackAddress()) {
      return "http://127.0.0.1:" + port();
    }
    String host = bound.getHostAddress();
    return "http://" + (bound instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":" + port();
  }

  /** The address and port it listens on as configured, e.g. {@code 0.0.0.0:8090} (a dual-stack socket reports ::). */
  public String listening() {
    InetAddress bound = config.bindAddress();
    String host = bound.getHostAddress();
    return (bound instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public LangSmithState langsmith() {
    return langsmith;
  }

  public AgentexState agentex() {
    return agentex;
  }

  public Faults faults() {
    return faults;
  }

  /**
   * Test and sandbox control, not part of either API: the keys accepted from now on, as a control
   * plane accepts an old and a new key while a key is rotated, then only the new one.
   */
  public void acceptApiKeys(java.util.Set<String> keys) {
    acceptedKeys = java.util.Set.copyOf(keys);
  }

  private boolean accepts(String key) {
    java.util.Set<String> keys = acceptedKeys;
    return keys == null || keys.contains(key);
  }

  public RequestLog requests() {
    return requests;
  }

  @Override
  public void close() {
    faults.stall(null);
    server.stop(0);
    executor.shutdownNow();
  }

  // ------------------------------------------------------------------ request handling

  private void serve(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    String path = rawPath.startsWith("/api-host/") ? rawPath.substring("/api-host".length()) : rawPath;
    String query = exchange.getRequestURI().getRawQuery();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> headers = headers(exchange);
    boolean isAgentex = AgentexApi.handles(path);
    SimOperation op = isAgentex ? AgentexApi.operation(method, path) : LangSmithApi.operation(method, path);

    sleep(faults.latencyMillis());
    ApiResponse response;
    boolean exempt = true;
    Fault fault = null;
    ApiResponse authFailure = isAgentex ? authenticateAgentex(headers) : authenticate(headers);
    if (authFailure != null) {
      response = authFailure;
    } else {
      fault = faults.take(op);
      if (fault instanceof Fault.Delay delay) {
        sleep(delay.millis());
        fault = null;
      }
      if (fault instanceof Fault.Status s) {
        response = ApiResponse.detail(s.code(), s.detail() != null ? s.detail()
            : "Simulated fault: the control plane answered " + s.code() + ".");
      } else if (fault instanceof Fault.RateLimited r) {
        response = new ApiResponse(429, ApiResponse.detail(429, "Too many requests.").body(),
            Map.of("Retry-After", Integer.toString(r.retryAfterSeconds())));
      } else if (fault instanceof Fault.Drop || fault instanceof Fault.Hang) {
        response = null;
      } else if (fault instanceof Fault.HtmlNotFound) {
        response = new ApiResponse(404, com.fasterxml.jackson.databind.node.TextNode.valueOf(HTML_NOT_FOUND),
            Map.of("Content-Type", "text/html"));
      } else if (fault instanceof Fault.BareNotFound) {
        response = ApiResponse.detail(404, "Not Found");
      } else {
        response = apply(isAgentex, op, headers, path, query, body);
        exempt = false; // a stalled answer (StallMidBody) follows the API too, it is only cut short
        if (fault instanceof Fault.SaveThenFail s) {
          exempt = true;
          response = s.code() == 0 ? null
              : ApiResponse.detail(s.code(), "Simulated fault after the change was saved: " + s.code() + ".");
        }
      }
    }
    // Written once: the log keeps the text that is sent.
    String responseText = response == null || response.body() == null ? null : text(response);
    record(isAgentex ? PROVIDER_AGENTEX : PROVIDER_LANGSMITH, op, method, path, query, headers, body, response,
        responseText, exempt);
    if (fault instanceof Fault.Hang) {
      faults.stalled().hold(exchange);
      return;
    }
    if (fault instanceof Fault.StallMidBody) {
      sendPartly(exchange, response);
      faults.stalled().hold(exchange);
      return;
    }
    if (response == null) {
      drop(exchange);
      return;
    }
    send(exchange, response, responseText);
  }

  /**
   * The status line, the headers and the first half of the JSON body, then nothing more (fault
   * {@link Fault.StallMidBody}). An answer without a body promises {@code {}}, as 200, so that
   * there is a body to stall in.
   */
  private static void sendPartly(HttpExchange exchange, ApiResponse response) throws IOException {
    boolean hasBody = response.body() != null && response.status() != 204;
    byte[] bytes = (hasBody ? text(response) : "{}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(hasBody ? response.status() : 200, bytes.length);
    OutputStream out = exchange.getResponseBody();
    out.write(bytes, 0, bytes.length / 2);
    out.flush();
  }

  private ApiResponse apply(boolean isAgentex, SimOperation op, Map<String, String> headers, String path,
      String query, String body) {
    JsonNode json = null;
    if (!body.isBlank()) {
      try {
        json = LangSmithState.JSON.readTree(body);
      } catch (IOException e) {
        return ApiResponse.validation("body", "JSON decode error", "json_invalid");
      }
    }
    if (isAgentex) {
      return agentexApi.handle(op, headers.getOrDefault("x-selected-account-id", "default"), path,
          parseQuery(query), json);
    }
    return langsmithApi.handle(op, headers.get("x-tenant-id"), path, parseQuery(query), json);
  }

  /** X-Api-Key must be present (and equal the configured key, if any); X-Tenant-Id scopes the data. */
  private ApiResponse authenticate(Map<String, String> headers) {
    String key = headers.get("x-api-key");
    if (key == null || key.isBlank()) {
      return ApiResponse.detail(401, "Missing X-Api-Key header.");
    }
    if (!accepts(key)) {
      return ApiResponse.detail(403, "Invalid API key.");
    }
    String tenant = headers.get("x-tenant-id");
    if (tenant == null || tenant.isBlank()) {
      return ApiResponse.detail(403, "Missing X-Tenant-Id header.");
    }
    return null;
  }

  /** Agentex: x-api-key only; x-selected-account-id (optional) scopes the data. */
  private ApiResponse authenticateAgentex(Map<String, String> headers) {
    String key = headers.get("x-api-key");
    if (key == null || key.isBlank()) {
      return ApiResponse.detail(401, "Missing x-api-key header.");
    }
    if (!accepts(key)) {
      return ApiResponse.detail(401, "Invalid API key.");
    }
    return null;
  }

  private void record(String provider, SimOperation op, String method, String path, String query, Map<String, String> headers,
      String body, ApiResponse response, String responseBody, boolean exempt) {
    Map<String, String> redacted = new TreeMap<>();
    headers.forEach((k, v) -> redacted.put(k, SECRET_HEADERS.contains(k) ? "***" : v));
    Map<String, String> responseHeaders = response == null ? Map.of() : response.headers();
    requests.add(new RecordedRequest(langsmith.now(), provider, op, method, path, query, redacted, body,
        response == null ? 0 : response.status(), responseHeaders, responseBody, exempt));
  }

  private static void send(HttpExchange exchange, ApiResponse response, String text) throws IOException {
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.getResponseHeaders().set("X-Request-Id", java.util.UUID.randomUUID().toString());
    if (response.body() == null) {
      exchange.sendResponseHeaders(response.status(), -1);
      exchange.close();
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", response.headers().getOrDefault("Content-Type", "application/json"));
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The body as sent: JSON text, or the plain text of a non-JSON answer (an HTML page). */
  private static String text(ApiResponse response) {
    boolean json = response.headers().getOrDefault("Content-Type", "application/json").equals("application/json");
    return !json && response.body().isTextual() ? response.body().asText() : response.body().toString();
  }

  /**
   * Cuts the connection mid-answer: headers promise a body that never comes, then the connection
   * closes. Clients see an I/O error (premature end of stream), as with a dropped connection.
   */
  private static void drop(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 4096);
    exchange.getResponseBody().flush();
    exchange.close();
  }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> out = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT),
        v.isEmpty() ? "" : v.get(0)));
    return out;
  }

  static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

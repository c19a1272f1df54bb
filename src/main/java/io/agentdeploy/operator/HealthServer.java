package io.agentdeploy.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * /healthz (process alive), /readyz (informers synced and healthy) and /metrics (Prometheus).
 *
 * <p>Started before the operator, so /healthz answers while the informers sync: on a big cluster
 * the first list can take longer than any startup probe, and a probe that fails there restarts the
 * pod into the same long sync. Until {@link #serve} hands it the started runtime, /readyz and
 * /metrics answer 503.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;
  /** Null until the operator has started (JOSDK's start returns once the informers synced). */
  private volatile OperatorRuntime runtime;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /** Listens at once; /readyz and /metrics answer 503 until {@link #serve}. */
  public static HealthServer start(int port) throws IOException {
    HealthServer health = new HealthServer(HttpServer.create(new InetSocketAddress(port), 0));
    health.server.createContext("/healthz", ex -> answer(ex, 200, "ok"));
    health.server.createContext("/readyz", health::readiness);
    health.server.createContext("/metrics", health::metrics);
    health.server.start();
    return health;
  }

  /** For a runtime that is already running. */
  public static HealthServer start(int port, OperatorRuntime runtime) throws IOException {
    HealthServer health = start(port);
    health.serve(runtime);
    return health;
  }

  /** From now on /readyz reports the runtime's informers and /metrics its meters. */
  public void serve(OperatorRuntime started) {
    this.runtime = started;
  }

  private void readiness(HttpExchange exchange) throws IOException {
    OperatorRuntime current = runtime;
    if (current == null) {
      answer(exchange, 503, "not ready: starting, informers syncing");
      return;
    }
    var info = current.operator().getRuntimeInfo();
    boolean ready = info.isStarted() && info.allEventSourcesAreHealthy();
    answer(exchange, ready ? 200 : 503, ready ? "ready" : "not ready: " + info.unhealthyEventSources().keySet());
  }

  private void metrics(HttpExchange exchange) throws IOException {
    OperatorRuntime current = runtime;
    if (current == null) {
      answer(exchange, 503, "starting");
      return;
    }
    answer(exchange, 200, current.meters().scrape());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

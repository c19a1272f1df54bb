package io.agentdeploy.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentdeploy.operator.runtime.OperatorRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** /healthz (process alive), /readyz (informers synced and healthy) and /metrics (Prometheus). */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  public static HealthServer start(int port, OperatorRuntime runtime) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", ex -> answer(ex, 200, "ok"));
    server.createContext("/readyz", ex -> {
      var info = runtime.operator().getRuntimeInfo();
      boolean ready = info.isStarted() && info.allEventSourcesAreHealthy();
      answer(ex, ready ? 200 : 503, ready ? "ready" : "not ready: " + info.unhealthyEventSources().keySet());
    });
    server.createContext("/metrics", ex -> answer(ex, 200, runtime.meters().scrape()));
    server.start();
    return new HealthServer(server);
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

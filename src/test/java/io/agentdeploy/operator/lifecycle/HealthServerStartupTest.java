package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.HealthServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The health server runs before the operator (as RunCommand starts it): /healthz answers at once,
 * so a slow informer sync never fails the startup probe, while /readyz and /metrics answer 503
 * until the started operator is handed over.
 */
class HealthServerStartupTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void livenessAnswersBeforeTheInformersAndReadinessOnlyAfterThem() throws Exception {
    try (HealthServer health = HealthServer.start(0)) {
      int port = health.port();
      assertEquals(200, get(port, "/healthz").statusCode());
      HttpResponse<String> starting = get(port, "/readyz");
      assertEquals(503, starting.statusCode());
      assertTrue(starting.body().contains("starting"), starting.body());
      assertEquals(503, get(port, "/metrics").statusCode(), "no meters before the operator exists");

      try (SimulatedWorld world = new SimulatedWorld()) {
        assertEquals(503, get(port, "/readyz").statusCode(), "still not ready until the runtime is handed over");
        health.serve(world.env.runtime());
        await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/readyz").statusCode() == 200);
        assertEquals(200, get(port, "/metrics").statusCode());
        assertEquals(200, get(port, "/healthz").statusCode());
      }
    }
  }
}

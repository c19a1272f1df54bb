package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import io.agentdeploy.operator.remote.RemoteException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How many times one call sends a request, by the answer it gets, against a real loopback server:
 * an idempotent request is sent again only when another attempt could be answered differently (a
 * 5xx that is not 501 or 505, a 408); an answer about the request or its route (405 from a proxy,
 * 501, 3xx, 413, 404) is sent once, whatever the reconcile later makes of it; a POST is sent once
 * whatever the answer.
 */
class AttemptsPerAnswerTest {
  private static final int RETRIES = 2;
  private static final AtomicInteger STATUS = new AtomicInteger();
  private static final AtomicInteger REQUESTS = new AtomicInteger();
  private static HttpServer server;

  private final HttpTransport transport = new HttpTransport(new SimpleMeterRegistry(), Duration.ofSeconds(2),
      Duration.ofSeconds(20), RETRIES);

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      REQUESTS.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      byte[] body = "{\"detail\":\"answered by the test server\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(STATUS.get(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @BeforeEach
  void reset() {
    REQUESTS.set(0);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 408})
  void aTransientAnswerIsAskedAgainWithinTheCall(int status) {
    STATUS.set(status);
    RemoteException e = assertThrows(RemoteException.class, () -> transport.send(endpoint(), get()));
    assertEquals(status, e.httpStatus());
    assertEquals(RemoteException.Kind.RETRYABLE, e.kind());
    assertEquals(1 + RETRIES, REQUESTS.get(), "sent once and retried " + RETRIES + " times");
  }

  @ParameterizedTest
  @ValueSource(ints = {405, 501, 505, 302, 413, 404, 400})
  void anAnswerAboutTheRequestOrItsRouteIsNotAskedAgain(int status) {
    STATUS.set(status);
    RemoteException e = assertThrows(RemoteException.class, () -> transport.send(endpoint(), delete()));
    assertEquals(status, e.httpStatus());
    assertEquals(1, REQUESTS.get(), "a second attempt would get the same answer");
  }

  @Test
  void aPostIsSentOnceEvenAfterATransientAnswer() {
    STATUS.set(503);
    ApiRequest post = new ApiRequest("createDeployment", "POST", "/v2/deployments", Map.of(), "{\"name\":\"a\"}",
        Set.of());
    assertThrows(RemoteException.class, () -> transport.send(endpoint(), post));
    assertEquals(1, REQUESTS.get(), "its caller looks the write up before sending it again");
  }

  private static Endpoint endpoint() {
    AllowedBaseUrl url = BaseUrlPolicy.of(List.of(), List.of())
        .check("http://127.0.0.1:" + server.getAddress().getPort()).orElseThrow();
    return new Endpoint("test", url, Map.of("X-Api-Key", "attempts-test-key"), new TokenBucket(1000, 1000, System::nanoTime));
  }

  private static ApiRequest get() {
    return ApiRequest.get("getDeployment", "/v2/deployments/d-1", Map.of());
  }

  private static ApiRequest delete() {
    return new ApiRequest("deleteDeployments", "DELETE", "/v2/deployments", Map.of("deployment_ids", "d-1"), null,
        Set.of());
  }
}

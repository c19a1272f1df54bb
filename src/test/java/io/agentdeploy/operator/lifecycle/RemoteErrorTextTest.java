package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.remote.http.RemoteText;
import io.fabric8.kubernetes.api.model.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a control plane's error answer puts into a ControlPlane's status (a fixed text per reason)
 * and its events (the answer, cleaned and bounded), with the real operator against a server that
 * answers each check with a different kind of error body.
 */
class RemoteErrorTextTest {
  private static final String KEY = "lsv2_sk_error_text_key_0001";
  /** A JSON detail far longer than a status should carry, with a line break, an escape and a bidi override. */
  private static final String LONG_DETAIL = "Invalid API key.\r\nSee https://docs.example.com \u001b[31m\u202E"
      + "z".repeat(4000);
  private static final String HTML = "<html><head><title>404 Not Found</title></head><body><center>nginx/1.25 "
      + "internal-host-7</center></body></html>";
  private static final String PLAIN = "upstream connect error or disconnect/reset before headers. reset reason: "
      + "connection failure, internal-host-7";

  private static HttpServer server;
  /** Where a redirect points; it must never be asked anything. */
  private static HttpServer elsewhere;
  private static final java.util.concurrent.atomic.AtomicInteger ELSEWHERE_REQUESTS =
      new java.util.concurrent.atomic.AtomicInteger();
  private static OperatorHarness env;

  @BeforeAll
  static void start() throws IOException {
    elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    elsewhere.createContext("/", x -> {
      ELSEWHERE_REQUESTS.incrementAndGet();
      answer(x, 200, "application/json", "{\"resources\":[]}");
    });
    elsewhere.start();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/redirect", x -> {
      x.getResponseHeaders().set("Location", "http://127.0.0.1:" + elsewhere.getAddress().getPort()
          + "/v2/deployments?limit=1");
      answer(x, 307, "text/html", "<a>moved</a>");
    });
    server.createContext("/json", x -> answer(x, 401, "application/json",
        "{\"detail\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(LONG_DETAIL) + "}"));
    server.createContext("/html", x -> answer(x, 404, "text/html", HTML));
    server.createContext("/text", x -> answer(x, 502, "text/plain", PLAIN));
    server.createContext("/html-as-json", x -> answer(x, 404, "application/json", HTML));
    server.start();
    env = new OperatorHarness();
    env.client.resource(Resources.apiKeySecret("error-key", KEY)).create();
  }

  @AfterAll
  static void stop() {
    env.close();
    server.stop(0);
    elsewhere.stop(0);
  }

  private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The condition that says what happened and the event that carries the details of the answer. */
  private record Seen(Condition condition, String details) {}

  /**
   * Status holds a fixed text per reason; what the control plane answered goes to the event of the
   * episode ({@code eventReason}), cleaned and bounded the same way.
   */
  private static Seen checked(String name, String path, String type, String eventReason) {
    String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + path;
    env.client.resource(Resources.controlPlane(name, baseUrl, "error-key", null)).create();
    ControlPlane cp = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> env.controlPlane(name), c -> c != null && c.getStatus() != null
            && Conditions.find(c.getStatus().getConditions(), type).isPresent());
    String details = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> env.events(name).stream().filter(e -> eventReason.equals(e.getReason()))
            .map(Event::getMessage).findFirst().orElse(null), m -> m != null);
    cp.getStatus().getConditions().forEach(c -> assertFalse(c.getMessage().contains("listDeployments"),
        "no remote answer in status: " + c.getMessage()));
    return new Seen(Conditions.find(cp.getStatus().getConditions(), type).get(), details);
  }

  @Test
  void aJsonErrorDetailReachesTheEventCleanedAndBounded() {
    Seen seen = checked("json-error", "/json", Conditions.READY, "KeyRejected");
    assertEquals("Unauthorized", seen.condition().getReason());
    String message = seen.details();
    assertTrue(message.contains("listDeployments answered 401: Invalid API key. See https://docs.example.com"),
        message);
    String detail = message.substring(message.indexOf("answered 401: ") + "answered 401: ".length());
    assertTrue(detail.length() <= RemoteText.MAX_MESSAGE, detail.length() + " characters of remote text");
    assertTrue(detail.endsWith("..."), detail);
    assertTrue(message.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u202E'), message);
    assertFalse(message.contains(KEY));
  }

  @Test
  void anHtmlPageSaysNothingButItsStatusCode() {
    Seen seen = checked("html-error", "/html", "Reachable", "UnexpectedResponse");
    assertEquals("UnexpectedResponse", seen.condition().getReason());
    assertTrue(seen.details().endsWith(": langsmith listDeployments answered 404"), seen.details());
    assertFalse(seen.details().contains("nginx") || seen.details().contains("<"), seen.details());
  }

  @Test
  void htmlDeclaredAsJsonSaysNothingEither() {
    Seen seen = checked("html-as-json", "/html-as-json", "Reachable", "UnexpectedResponse");
    assertEquals("UnexpectedResponse", seen.condition().getReason());
    assertFalse(seen.details().contains("internal-host-7"), seen.details());
  }

  @Test
  void aPlainTextProxyAnswerSaysNothingButItsStatusCode() {
    Seen seen = checked("text-error", "/text", "Reachable", "Unreachable");
    assertEquals("Unreachable", seen.condition().getReason());
    assertTrue(seen.details().endsWith(": langsmith listDeployments answered 502"), seen.details());
  }

  @Test
  void aRedirectIsNotFollowedSoTheKeyGoesNowhereElse() {
    Seen seen = checked("redirect", "/redirect", "Reachable", "Unreachable");
    assertEquals("Unreachable", seen.condition().getReason());
    assertTrue(seen.details().endsWith(": langsmith listDeployments answered 307"), seen.details());
    assertEquals(0, ELSEWHERE_REQUESTS.get());
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.controller.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Secret values of one to three characters, too short for substring masking, against a control
 * plane that refuses every create and echoes the whole request in its error (as a detail string,
 * and as a validation message quoting the value): neither a {@code "value": "<v>"} nor an env
 * name/value pair reaches status, events or the log.
 */
class EchoedRequestTest {
  private static final String KEY = "lsv2_sk_echo_test_key_0001";
  /** Env name to its Secret value: one, two and three characters. */
  private static final Map<String, String> SHORT = Map.of("TOKEN_A", "q", "TOKEN_B", "zx", "TOKEN_C", "k7w");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger CREATES = new AtomicInteger();

  private static HttpServer server;
  private static OperatorHarness env;
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v2/deployments", EchoedRequestTest::answer);
    server.start();
    LOG.start();
    root().addAppender(LOG);
    env = new OperatorHarness();
    env.client.resource(Resources.apiKeySecret("echo-key", KEY)).create();
    env.client.resource(Resources.secret("short-values", SHORT)).create();
    env.client.resource(Resources.controlPlane("echo", "http://127.0.0.1:" + server.getAddress().getPort(),
        "echo-key", null)).create();
  }

  @AfterAll
  static void stop() {
    root().detachAppender(LOG);
    env.close();
    server.stop(0);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** Lists are empty; a create is refused with the request echoed, in one of two shapes by agent name. */
  private static void answer(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      send(exchange, 200, "{\"resources\":[],\"offset\":0}");
      return;
    }
    CREATES.incrementAndGet();
    String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String body;
    if (request.contains("echo-detail")) {
      body = "{\"detail\":" + JSON.writeValueAsString("Could not create deployment from " + request) + "}";
    } else {
      body = "{\"detail\":[{\"loc\":[\"body\",\"secrets\",1,\"value\"],\"msg\":"
          + JSON.writeValueAsString("value zx of TOKEN_B is too short") + ",\"input\":" + request + "}]}";
    }
    send(exchange, 422, body);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static AgentDeployment agent(String name) {
    AgentDeployment agd = Resources.dockerAgent(name, "echo", "registry.example.com/" + name + ":1");
    SHORT.keySet().stream().sorted().forEach(k -> agd.getSpec().getLangsmith().getEnv()
        .add(Resources.fromSecret(k, "short-values", k)));
    return agd;
  }

  @Test
  void shortSecretValuesEchoedByTheRemoteAppearNowhere() {
    env.client.resource(agent("echo-detail")).create();
    env.client.resource(agent("echo-list")).create();
    List<AgentDeployment> refused = new ArrayList<>();
    for (String name : List.of("echo-detail", "echo-list")) {
      refused.add(env.awaitAgent(name, Duration.ofSeconds(30), a -> OperatorHarness.condition(a, Conditions.SYNCED)
          .map(c -> "False".equals(c.getStatus()) && c.getMessage().contains("422")).orElse(false)));
    }
    // Each refusal is also an event and (perhaps) a log line: wait for the events before reading.
    await().atMost(Duration.ofSeconds(10)).until(() -> env.events("echo-detail").size() > 0
        && env.events("echo-list").size() > 0);
    assertTrue(CREATES.get() >= 2, "the remote saw the creates");

    String status = refused.stream().map(a -> Serialization.asJson(a.getStatus())).collect(Collectors.joining("\n"));
    env.flushEvents();
    String events = env.client.v1().events().inAnyNamespace().list().getItems().stream().map(Event::getMessage)
        .collect(Collectors.joining("\n"));
    String logged = LOG.list.stream().map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
        : ThrowableProxyUtil.asString(e.getThrowableProxy()))).collect(Collectors.joining("\n"));

    List<String> leaks = new ArrayList<>();
    for (var text : Map.of("status", status, "events", events, "log", logged).entrySet()) {
      for (var pair : SHORT.entrySet()) {
        String v = Pattern.quote(pair.getValue());
        Pattern quoted = Pattern.compile("[\"']value[\"']\\s*:\\s*[\"']" + v + "[\"']");
        Pattern named = Pattern.compile(Pattern.quote(pair.getKey()) + "\\W{1,30}?(?:value\\W{1,6})?" + v
            + "(?![\\p{L}\\p{N}])");
        Pattern valueThenName = Pattern.compile("(?<![\\p{L}\\p{N}])" + v + "\\W{1,12}(?:of|for)?\\W{0,4}"
            + Pattern.quote(pair.getKey()));
        if (quoted.matcher(text.getValue()).find() || named.matcher(text.getValue()).find()
            || valueThenName.matcher(text.getValue()).find()) {
          leaks.add(pair.getKey() + " in " + text.getKey());
        }
      }
    }
    assertEquals(List.of(), leaks, "short Secret values echoed by the remote reached status, events or the log");
    Condition synced = OperatorHarness.condition(refused.get(0), Conditions.SYNCED).orElseThrow();
    assertTrue(synced.getMessage().contains("createDeployment answered 422"), synced.getMessage());
  }
}

package io.agentdeploy.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogSetupTest {
  @Test
  void jsonFormatWritesOneObjectPerLineWithRfc3339TimeAndTopLevelResourceFields() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      LogSetup.configure("json", "info");
      MDC.put("resource", "agents/support-agent");
      MDC.put("deploymentId", "0b6c1f9e-8a51-4a0f-9d1e-2b7f3c4d5e6a");
      MDC.put("resource.name", "support-agent");
      MDC.put("message", "an MDC entry named like a field");
      LoggerFactory.getLogger("io.agentdeploy.test").info("revision {} is live", "r-1");
      MDC.clear();
      LoggerFactory.getLogger("io.agentdeploy.test").warn("remote call failed",
          new IllegalStateException("boom\nsecond line", new java.io.IOException("cause")));
    } finally {
      MDC.clear();
      System.setOut(original);
      ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).reset();
      new ch.qos.logback.classic.util.ContextInitializer(
          (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).autoConfig();
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    String line = lines.stream().filter(l -> l.contains("revision r-1")).findFirst()
        .orElseThrow(() -> new AssertionError("no JSON line in: " + captured));
    JsonNode json = new ObjectMapper().readTree(line);
    assertEquals(List.of("time", "level", "logger", "thread", "message"), fieldNames(json).subList(0, 5));
    // RFC 3339 in UTC with milliseconds, e.g. 2025-01-02T03:04:05.678Z
    assertTrue(json.path("time").asText().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"),
        json.path("time").asText());
    assertTrue(Math.abs(Instant.parse(json.path("time").asText()).toEpochMilli() - System.currentTimeMillis()) < 60_000);
    assertEquals("INFO", json.path("level").asText());
    assertEquals("io.agentdeploy.test", json.path("logger").asText());
    assertEquals("revision r-1 is live", json.path("message").asText());
    // MDC fields at the top level, where log pipelines index them; none overwrites the encoder's own.
    assertEquals("agents/support-agent", json.path("resource").asText());
    assertEquals("support-agent", json.path("resource.name").asText());
    assertEquals("0b6c1f9e-8a51-4a0f-9d1e-2b7f3c4d5e6a", json.path("deploymentId").asText());
    assertEquals("an MDC entry named like a field", json.path("mdc.message").asText());
    assertFalse(json.has("mdc") || json.has("formattedMessage") || json.has("timestamp"), line);

    // An exception stays inside its one line: a summary and the trace as fields.
    String warning = lines.stream().filter(l -> l.contains("remote call failed")).findFirst().orElseThrow();
    JsonNode error = new ObjectMapper().readTree(warning);
    assertEquals("WARN", error.path("level").asText());
    assertEquals("java.lang.IllegalStateException: boom\nsecond line", error.path("error").asText());
    assertTrue(error.path("stack").asText().contains("Caused by: java.io.IOException: cause"), warning);
    assertFalse(error.has("resource"), "the MDC was cleared before the warning");
    for (String l : lines) {
      assertTrue(l.startsWith("{") && l.endsWith("}"), "every line is one JSON object: " + l);
    }
  }

  private static List<String> fieldNames(JsonNode json) {
    List<String> names = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

package io.agentdeploy.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogSetupTest {
  @Test
  void jsonFormatWritesOneObjectPerLineWithTheResource() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      LogSetup.configure("json", "info");
      MDC.put("resource", "agents/support-agent");
      MDC.put("deploymentId", "0b6c1f9e-8a51-4a0f-9d1e-2b7f3c4d5e6a");
      LoggerFactory.getLogger("io.agentdeploy.test").info("revision {} is live", "r-1");
    } finally {
      MDC.clear();
      System.setOut(original);
      ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).reset();
      new ch.qos.logback.classic.util.ContextInitializer(
          (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).autoConfig();
    }
    String line = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("revision r-1"))
        .findFirst().orElseThrow(() -> new AssertionError("no JSON line in: " + captured));
    JsonNode json = new ObjectMapper().readTree(line);
    assertEquals("INFO", json.path("level").asText());
    assertEquals("revision r-1 is live", json.path("formattedMessage").asText());
    assertEquals("agents/support-agent", json.path("mdc").path("resource").asText());
    assertTrue(json.path("mdc").has("deploymentId"));
  }
}

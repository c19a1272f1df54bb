package io.agentdeploy.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Settings the operator cannot run with stop it at start, before it connects anywhere. */
class RunCommandTest {

  private static List<String> run(String... args) {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setErr(new PrintWriter(err, true)).execute(args);
    assertEquals(RunCommand.INVALID_SETTING, code, err.toString());
    return err.toString().lines().toList();
  }

  @Test
  void aMalformedHostEntryStopsTheOperatorWithOneLineNamingIt() {
    Map<List<String>, String> cases = Map.of(
        List.of("--allowed-hosts", "api.host.langchain.com,api.*.example.com"), "\"api.*.example.com\"",
        List.of("--allowed-hosts", "https://api.host.langchain.com"), "\"https://api.host.langchain.com\"",
        List.of("--plain-http-hosts", "simulator.sandbox.svc:80800"), "\"simulator.sandbox.svc:80800\"",
        List.of("--allowed-hosts", ","), "entry \"\"",
        List.of("--allowed-hosts", "api.host.langchain.com,"), "entry \"\"");
    for (var c : cases.entrySet()) {
      List<String> lines = run(c.getKey().toArray(String[]::new));
      assertEquals(1, lines.size(), c.getKey() + " printed " + lines);
      String line = lines.get(0);
      assertTrue(line.contains(c.getValue()), line);
      assertTrue(line.startsWith("invalid " + c.getKey().get(0)), line);
      assertFalse(line.contains("Exception") || line.contains("\tat "), line);
    }
  }

  @Test
  void aDeleteBatchWindowOfZeroOrOver200msStopsTheOperatorWithOneLine() {
    // A negative window cannot even be written: the duration parser refuses signs.
    Map<String, String> cases = Map.of("--delete-batch-window=0", "must be more than 0",
        "--delete-batch-window=250ms", "must be at most 200ms");
    for (var c : cases.entrySet()) {
      List<String> lines = run(c.getKey());
      assertEquals(1, lines.size(), c.getKey() + " printed " + lines);
      assertTrue(lines.get(0).startsWith("error: --delete-batch-window (AGENTDEPLOY_DELETE_BATCH_WINDOW) "
          + c.getValue()), lines.get(0));
    }
  }

  @Test
  void aRetryAfterCapBelowTheOneSecondFloorStopsTheOperatorWithOneLine() {
    for (String flag : List.of("--retry-after-max=500ms", "--retry-after-max=0")) {
      List<String> lines = run(flag);
      assertEquals(1, lines.size(), flag + " printed " + lines);
      assertTrue(lines.get(0).startsWith("error: --retry-after-max (AGENTDEPLOY_RETRY_AFTER_MAX) must be at least 1s"),
          lines.get(0));
      assertFalse(lines.get(0).contains("Exception"), lines.get(0));
    }
  }
}

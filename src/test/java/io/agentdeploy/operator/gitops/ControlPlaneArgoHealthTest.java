package io.agentdeploy.operator.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the ControlPlane health script against control planes the operator really produced (see
 * ControlPlaneHealthFixturesTest): a refused key is Degraded, so an Argo CD app shows it at once
 * instead of its AgentDeployments staying Progressing.
 */
class ControlPlaneArgoHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES = Path.of("src/test/resources/argocd/controlplane-fixtures");

  private static final Map<String, String> EXPECTED = Map.ofEntries(
      Map.entry("connected", "Healthy"),
      Map.entry("cluster-connected", "Healthy"),
      Map.entry("unauthorized", "Degraded"),
      Map.entry("secret-not-found", "Degraded"),
      Map.entry("insecure-base-url", "Degraded"),
      Map.entry("unreachable", "Progressing"),
      Map.entry("in-use", "Progressing"),
      Map.entry("not-yet-checked", "Progressing"));

  @Test
  void everyFixtureGetsTheHealthItsStateCallsFor() throws Exception {
    Map<String, ArgoHealth.Health> results = new TreeMap<>();
    try (Stream<Path> files = Files.list(FIXTURES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        results.put(f.getFileName().toString().replace(".json", ""),
            ArgoHealth.evaluate(ArgoHealth.CONTROL_PLANE_SCRIPT, JSON.readTree(f.toFile())));
      }
    }
    assertEquals(EXPECTED.keySet(), results.keySet(), "every fixture has an expectation and vice versa");
    for (var e : results.entrySet()) {
      assertEquals(EXPECTED.get(e.getKey()), e.getValue().status(), e.getKey() + ": " + e.getValue().message());
      assertTrue(e.getValue().message() != null && !e.getValue().message().isBlank(), e.getKey() + " has a message");
    }
    assertTrue(results.get("unauthorized").message().startsWith("Unauthorized: the control plane refused the API key"));
    assertTrue(results.get("in-use").message().startsWith("Deleting: kept until the AgentDeployments"));
  }
}

package io.agentdeploy.operator.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the Argo CD health script (luaj, Lua 5.1 semantics) against resources the operator really
 * produced (see HealthFixturesTest), covering every branch of the script.
 */
class ArgoHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES = Path.of("src/test/resources/argocd/fixtures");

  /** What Argo CD must show for each state; the reasons behind them are in docs/gitops.md. */
  private static final Map<String, String> EXPECTED = Map.ofEntries(
      Map.entry("not-yet-reconciled", "Progressing"),
      Map.entry("stale-generation", "Progressing"),
      Map.entry("rolling-out", "Progressing"),
      Map.entry("control-plane-not-ready", "Progressing"),
      Map.entry("remote-unavailable", "Progressing"),
      Map.entry("deleting", "Progressing"),
      Map.entry("ready", "Healthy"),
      Map.entry("hash-key-changed", "Healthy"),
      Map.entry("revision-failed", "Degraded"),
      Map.entry("remote-rejected", "Degraded"),
      Map.entry("name-conflict", "Degraded"),
      Map.entry("secret-not-found", "Degraded"),
      Map.entry("paused", "Suspended"),
      Map.entry("expired-preview", "Suspended"));

  @Test
  void everyFixtureGetsTheHealthItsStateCallsFor() throws Exception {
    Map<String, ArgoHealth.Health> results = new TreeMap<>();
    try (Stream<Path> files = Files.list(FIXTURES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        results.put(f.getFileName().toString().replace(".json", ""), ArgoHealth.evaluate(JSON.readTree(f.toFile())));
      }
    }
    assertEquals(EXPECTED.keySet(), results.keySet(), "every fixture has an expectation and vice versa");
    for (var e : results.entrySet()) {
      assertEquals(EXPECTED.get(e.getKey()), e.getValue().status(), e.getKey() + ": " + e.getValue().message());
      assertTrue(e.getValue().message() != null && !e.getValue().message().isBlank(), e.getKey() + " has a message");
    }
    assertTrue(results.get("revision-failed").message().contains("DEPLOY_FAILED"));
    assertTrue(results.get("stale-generation").message().contains("generation 2"));
    assertTrue(results.get("deleting").message().startsWith("Deleting"));
    Set<String> statuses = results.values().stream().map(ArgoHealth.Health::status).collect(Collectors.toSet());
    assertEquals(Set.of("Progressing", "Healthy", "Degraded", "Suspended"), statuses);
  }

  @Test
  void theArgoCdConfigMapCarriesExactlyTheScript() throws Exception {
    JsonNode cm = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/argocd/argocd-cm.yaml").toFile());
    String embedded = cm.at("/data/resource.customizations.health.agentdeploy.io_AgentDeployment").asText();
    assertEquals(Files.readString(ArgoHealth.SCRIPT), embedded);
    for (String kind : List.of("ControlPlane", "ClusterControlPlane")) {
      assertEquals(Files.readString(ArgoHealth.CONTROL_PLANE_SCRIPT),
          cm.at("/data/resource.customizations.health.agentdeploy.io_" + kind).asText(), kind);
    }
  }
}

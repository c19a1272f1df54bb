package io.agentdeploy.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** kubectl explain and kubectl get are useful: every property is described, the columns tell the story. */
class CrdDescriptionsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode crd(String file) throws Exception {
    return YAML.readTree(Path.of("crds", file).toFile());
  }

  private static void undescribed(JsonNode schema, String path, List<String> out) {
    schema.path("properties").fields().forEachRemaining(e -> {
      if (e.getValue().path("description").asText("").isBlank()) {
        out.add(path + "." + e.getKey());
      }
      undescribed(e.getValue(), path + "." + e.getKey(), out);
    });
    if (schema.has("items")) {
      undescribed(schema.get("items"), path + "[]", out);
    }
  }

  @Test
  void everyPropertyOfEveryResourceHasADescription() throws Exception {
    for (String file : List.of("agentdeployments.agentdeploy.io-v1.yml", "controlplanes.agentdeploy.io-v1.yml")) {
      JsonNode schema = crd(file).at("/spec/versions/0/schema/openAPIV3Schema");
      List<String> missing = new ArrayList<>();
      // apiVersion, kind and metadata are described by Kubernetes itself.
      for (String top : List.of("spec", "status")) {
        if (schema.at("/properties/" + top + "/description").asText("").isBlank()) {
          missing.add("." + top);
        }
        undescribed(schema.at("/properties/" + top), "." + top, missing);
      }
      assertEquals(List.of(), missing, file);
    }
  }

  @Test
  void kubectlGetShowsPhaseReadyRevisionUrlAndAgeWithShortNameAndCategory() throws Exception {
    JsonNode crd = crd("agentdeployments.agentdeploy.io-v1.yml");
    Set<String> columns = new java.util.HashSet<>();
    crd.at("/spec/versions/0/additionalPrinterColumns").forEach(c -> {
      if (c.path("priority").asInt() == 0) {
        columns.add(c.path("name").asText());
      }
    });
    assertTrue(columns.containsAll(Set.of("Phase", "Ready", "Revision", "URL", "Age")), columns.toString());
    assertEquals(List.of("agd"), YAML.convertValue(crd.at("/spec/names/shortNames"), List.class));
    assertTrue(YAML.convertValue(crd.at("/spec/names/categories"), List.class).contains("agents"));
    Set<String> cpColumns = new java.util.HashSet<>();
    crd("controlplanes.agentdeploy.io-v1.yml").at("/spec/versions/0/additionalPrinterColumns")
        .forEach(c -> cpColumns.add(c.path("name").asText()));
    assertTrue(cpColumns.containsAll(Set.of("Provider", "URL", "Ready", "Age")), cpColumns.toString());
    assertTrue(crd("controlplanes.agentdeploy.io-v1.yml").at("/spec/versions/0/subresources/status").isObject());
    assertTrue(crd.at("/spec/versions/0/subresources/status").isObject());
  }
}

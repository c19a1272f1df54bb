package io.agentdeploy.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubectl explain and kubectl get are useful: every property is described, the columns tell the story. */
class CrdDescriptionsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final List<String> FILES = List.of("agentdeployments.agentdeploy.io-v1.yml",
      "controlplanes.agentdeploy.io-v1.yml", "clustercontrolplanes.agentdeploy.io-v1.yml");

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
    for (String file : FILES) {
      JsonNode schema = crd(file).at("/spec/versions/0/schema/openAPIV3Schema");
      List<String> missing = new ArrayList<>();
      // apiVersion, kind and metadata are described by Kubernetes itself.
      for (String top : List.of("spec", "status")) {
        if (schema.at("/properties/" + top + "/description").asText("").isBlank()) {
          missing.add("." + top);
        }
        undescribed(schema.at("/properties/" + top), "." + top, missing);
      }
      // The inside of a Kubernetes LabelSelector is Kubernetes' own type, documented by Kubernetes.
      missing.removeIf(path -> path.startsWith(".spec.allowedNamespaces.selector."));
      assertEquals(List.of(), missing, file);
    }
  }

  @Test
  void kubectlExplainDescribesEveryKindAtItsRoot() throws Exception {
    for (String file : FILES) {
      String description = crd(file).at("/spec/versions/0/schema/openAPIV3Schema/description").asText("");
      assertTrue(description.length() > 40, file + ": root description '" + description + "'");
    }
  }

  /** The column order itself is checked against the README in PrinterColumnsTest. */
  @Test
  void kubectlGetHasShortNameCategoryAndStatusSubresource() throws Exception {
    JsonNode crd = crd("agentdeployments.agentdeploy.io-v1.yml");
    assertEquals(List.of("agd"), YAML.convertValue(crd.at("/spec/names/shortNames"), List.class));
    for (String file : FILES) {
      assertTrue(YAML.convertValue(crd(file).at("/spec/names/categories"), List.class).contains("agents"), file);
      assertTrue(crd(file).at("/spec/versions/0/subresources/status").isObject(), file);
    }
  }
}

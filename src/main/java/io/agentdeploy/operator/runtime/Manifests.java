package io.agentdeploy.operator.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads multi-document YAML manifests into this operator's model types (and Secrets). */
public final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "AgentDeployment", AgentDeployment.class, "ControlPlane", ControlPlane.class, "ClusterControlPlane",
      io.agentdeploy.operator.api.ClusterControlPlane.class, "Secret", Secret.class, "ConfigMap", ConfigMap.class);

  private Manifests() {}

  /** Every document of {@code yaml}; unknown kinds and unknown fields are errors. */
  public static List<HasMetadata> parse(String yaml) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc == null || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        Class<? extends HasMetadata> type = KINDS.get(doc.path("kind").asText());
        if (type == null) {
          throw new IOException("unsupported kind " + doc.path("kind").asText());
        }
        out.add(YAML.treeToValue(doc, type));
      }
    }
    return out;
  }
}

package io.agentdeploy.operator.remote.langsmith;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.remote.DriftedValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what the remote holds with what the spec asks for. Only fields the user set are
 * compared (the remote fills in defaults for the rest), each in the form {@link Containment}
 * gives it, and secrets by name only: their values are write-only as far as the operator is
 * concerned, and changes to them are caught by the hash.
 */
final class LangSmithDrift {
  private LangSmithDrift() {}

  /** The drifting fields ({@code source_config.custom_url}, ...) with the remote's values for them. */
  static DriftedValues between(LangSmithDesired desired, JsonNode remote) {
    Map<String, String> drift = new LinkedHashMap<>();
    compareFields("source_config", desired.sourceConfig(), remote.path("source_config"),
        LangSmithFields.COMPARABLE_SOURCE_CONFIG, drift);
    compareFields("source_revision_config", desired.revisionConfig(), remote.path("source_revision_config"),
        LangSmithFields.COMPARABLE_REVISION_CONFIG, drift);
    Set<String> wanted = new TreeSet<>();
    desired.secrets().forEach(e -> wanted.add(e.name()));
    Set<String> actual = new TreeSet<>();
    remote.path("secrets").forEach(s -> actual.add(s.path("name").asText()));
    // Like an array's extra elements, a variable the control plane adds (a default) is not drift.
    if (!actual.containsAll(wanted)) {
      drift.put("secrets", String.join("\n", actual));
    }
    return new DriftedValues(drift);
  }

  private static void compareFields(String prefix, JsonNode desired, JsonNode remote, List<String> fields,
      Map<String, String> drift) {
    for (String field : fields) {
      JsonNode want = desired.get(field);
      if (want != null && !want.isNull() && !Containment.contains(field, remote.path(field), want)) {
        drift.put(prefix + "." + field, remote.path(field).toString());
      }
    }
  }
}

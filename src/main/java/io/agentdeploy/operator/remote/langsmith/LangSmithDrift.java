package io.agentdeploy.operator.remote.langsmith;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what the remote holds with what the spec asks for. Only fields the user set are
 * compared (the remote fills in defaults for the rest), and secrets by name only: their values are
 * write-only as far as the operator is concerned, and changes to them are caught by the hash.
 */
final class LangSmithDrift {
  private LangSmithDrift() {}

  static List<String> between(LangSmithDesired desired, JsonNode remote) {
    List<String> drift = new ArrayList<>();
    compareFields("source_config", desired.sourceConfig(), remote.path("source_config"),
        LangSmithFields.COMPARABLE_SOURCE_CONFIG, drift);
    compareFields("source_revision_config", desired.revisionConfig(), remote.path("source_revision_config"),
        LangSmithFields.COMPARABLE_REVISION_CONFIG, drift);
    Set<String> wanted = new TreeSet<>();
    desired.secrets().forEach(e -> wanted.add(e.name()));
    Set<String> actual = new TreeSet<>();
    remote.path("secrets").forEach(s -> actual.add(s.path("name").asText()));
    if (!wanted.equals(actual)) {
      drift.add("secrets");
    }
    return drift;
  }

  private static void compareFields(String prefix, JsonNode desired, JsonNode remote, List<String> fields,
      List<String> drift) {
    for (String field : fields) {
      JsonNode want = desired.get(field);
      if (want != null && !want.isNull() && !contains(remote.path(field), want)) {
        drift.add(prefix + "." + field);
      }
    }
  }

  /** True when {@code actual} holds {@code wanted}: equal scalars, or every wanted key of an object. */
  static boolean contains(JsonNode actual, JsonNode wanted) {
    if (wanted.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = wanted.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        if (!e.getValue().isNull() && !contains(actual.path(e.getKey()), e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (wanted.isNumber() && actual.isNumber()) {
      return wanted.decimalValue().compareTo(actual.decimalValue()) == 0;
    }
    return wanted.equals(actual);
  }
}

package io.agentdeploy.operator.remote;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The remote's values of the fields that drift, by field name, in a canonical text form. They are
 * kept only so that the controller can tell whether the remote changed them (by a keyed hash):
 * commands and URLs may carry Secret-derived text, so they are never printed and never stored.
 */
public record DriftedValues(Map<String, String> byField) {
  public static final DriftedValues NONE = new DriftedValues(Map.of());

  public DriftedValues {
    byField = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byField));
  }

  /** The drifting fields, in the order they were found. */
  public List<String> fields() {
    return List.copyOf(byField.keySet());
  }

  /**
   * What a hash of {@code fields} is made from: each field name and its remote value (a field
   * that no longer drifts has no value), sorted by name.
   */
  public byte[] canonical(Collection<String> fields) {
    StringBuilder out = new StringBuilder();
    for (String field : new TreeSet<>(fields)) {
      String value = byField.get(field);
      out.append(field).append('\u0000').append(value == null ? "\u0001" : value).append('\u0000');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "DriftedValues" + byField.keySet();
  }
}

package io.agentdeploy.operator.remote.http;

import java.util.Collection;
import java.util.Comparator;

/** Removes sensitive values from text that may end up in status, events, logs or exceptions. */
public final class Redactor {
  public static final String MASK = "***";
  /** Values shorter than this are not masked: masking "a" would garble every message. */
  private static final int MIN_LENGTH = 4;

  private Redactor() {}

  public static String redact(String text, Collection<String> sensitive) {
    if (text == null || sensitive == null || sensitive.isEmpty()) {
      return text;
    }
    String out = text;
    // Longest first, so a value containing another is masked whole.
    for (String value : sensitive.stream().filter(v -> v != null && v.length() >= MIN_LENGTH)
        .sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
      out = out.replace(value, MASK);
    }
    return out;
  }
}

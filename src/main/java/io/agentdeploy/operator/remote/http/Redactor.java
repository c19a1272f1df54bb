package io.agentdeploy.operator.remote.http;

import java.util.Collection;
import java.util.Comparator;
import java.util.regex.Pattern;

/** Removes sensitive values from text that may end up in status, events, logs or exceptions. */
public final class Redactor {
  public static final String MASK = "***";
  /** Values shorter than this are not masked: masking "a" would garble every message. */
  private static final int MIN_LENGTH = 4;

  /**
   * A serialised object inside prose: a quoted key, ':' or '=' and the start of a value
   * ({"name": "X", 'value': 'y'}), as a remote prints when it echoes the request it refused.
   */
  private static final Pattern OBJECT_FRAGMENT =
      Pattern.compile("[\"']\\s*[:=]\\s*(?:[\"'\\[{\\d-]|true\\b|false\\b|null\\b|None\\b|True\\b|False\\b)");

  private Redactor() {}

  /**
   * True when remote text may echo what was sent: it holds a serialised object, or a sensitive value
   * too short for {@link #redact} standing as a word of its own. Such text is dropped whole, since
   * masking cannot find a value of one to three characters in it without garbling everything else.
   */
  public static boolean echoesRequest(String text, Collection<String> sensitive) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    if (OBJECT_FRAGMENT.matcher(text).find()) {
      return true;
    }
    return sensitive != null && sensitive.stream().filter(v -> v != null && !v.isEmpty() && v.length() < MIN_LENGTH)
        .anyMatch(v -> Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(v) + "(?![\\p{L}\\p{N}])")
            .matcher(text).find());
  }

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

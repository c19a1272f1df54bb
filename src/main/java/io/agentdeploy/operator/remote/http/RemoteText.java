package io.agentdeploy.operator.remote.http;

import java.util.regex.Pattern;

/**
 * Text from a remote answer made fit for a status, an event or a log line: control and invisible
 * formatting characters (which can fake line breaks or reorder what a reader sees) become spaces,
 * runs of white space one space, and the length is bounded.
 */
public final class RemoteText {
  /** How much of a remote error message or event text may reach a status or an event. */
  public static final int MAX_MESSAGE = 300;
  /** How much of a remote status word (a revision or deploy status) is kept. */
  public static final int MAX_WORD = 64;
  private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final String CUT = "...";

  private RemoteText() {}

  /** @return the text cleaned and at most {@code max} characters long ({@code ...} marks a cut), or null for null */
  public static String bounded(String text, int max) {
    if (text == null) {
      return null;
    }
    String clean = SPACES.matcher(UNPRINTABLE.matcher(text).replaceAll(" ")).replaceAll(" ").strip();
    if (clean.length() <= max) {
      return clean;
    }
    int end = max - CUT.length();
    if (Character.isHighSurrogate(clean.charAt(end - 1))) {
      end--; // never split a character in two
    }
    return clean.substring(0, end) + CUT;
  }
}

package io.agentdeploy.operator.remote;

/**
 * What an HTTP header can carry (RFC 9110 field-value: visible ASCII, spaces and tabs inside).
 * Checked before a request is built: the JDK refuses anything else with an exception whose message
 * quotes the whole value, which for an API key would print it in the log.
 */
final class HeaderValues {
  private HeaderValues() {}

  /** @param what names the value in the message; the value itself is never quoted */
  static String require(String value, String what) throws SpecProblem {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean visible = c >= 0x21 && c <= 0x7e;
      boolean inner = (c == ' ' || c == '\t') && i > 0 && i < value.length() - 1;
      if (!visible && !inner) {
        // Which kind of character, never which one: for an API key that would print part of it.
        String kind = c > 0x7e ? "a non-ASCII character" : c == '\n' || c == '\r' ? "a line break"
            : c == ' ' || c == '\t' ? "a leading or trailing space" : "a control character";
        throw new SpecProblem("InvalidHeaderValue", what + " holds " + kind + " (at position " + (i + 1) + " of "
            + value.length() + "), which an HTTP header cannot carry; fix the value, nothing is sent until then");
      }
    }
    return value;
  }
}

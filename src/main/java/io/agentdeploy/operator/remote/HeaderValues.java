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
        throw new SpecProblem("InvalidHeaderValue", what + " holds a character an HTTP header cannot carry (at "
            + "position " + (i + 1) + " of " + value.length() + "); fix the value, nothing is sent until then");
      }
    }
    return value;
  }
}

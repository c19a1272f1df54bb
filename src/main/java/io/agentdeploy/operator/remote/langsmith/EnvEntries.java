package io.agentdeploy.operator.remote.langsmith;

import io.agentdeploy.operator.remote.SpecProblem;

/**
 * What an environment variable of a deployment can be. The control plane turns each entry into a
 * container's environment: a name needs printable ASCII without '=' (what Kubernetes accepts), and a
 * value cannot hold a NUL (a process environment ends a string there). Checked before anything is
 * sent, so the mistake gets a reason instead of a remote rejection.
 */
final class EnvEntries {
  private EnvEntries() {}

  static void checkName(String name) throws SpecProblem {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '=') {
        throw new SpecProblem("InvalidSpec", "spec.langsmith.env name \"" + printable(name) + "\" has "
            + describe(c) + " at position " + (i + 1) + "; a name is printable ASCII without spaces or '=', "
            + "e.g. LOG_LEVEL");
      }
    }
  }

  /** @param fromSecret the message then says where the value lives, never what it is */
  static void checkValue(String name, String value, boolean fromSecret) throws SpecProblem {
    if (value.indexOf('\0') >= 0) {
      throw new SpecProblem("InvalidSpec", "the value of spec.langsmith.env " + name
          + (fromSecret ? " (from its Secret)" : "") + " holds a NUL character, which no environment can carry; "
          + "remove it");
    }
  }

  private static String describe(char c) {
    return c == '=' ? "'='" : c == ' ' ? "a space" : c > 0x7e && !Character.isISOControl(c)
        ? "the non-ASCII character U+" + String.format("%04X", (int) c) : "a control character";
  }

  private static String printable(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 100 ? clean : clean.substring(0, 100) + "...";
  }
}

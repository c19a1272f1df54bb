package io.agentdeploy.operator.remote.http;

import java.util.regex.Pattern;

/**
 * One entry of an operator-level host list: {@code host}, {@code host:port}, {@code *.suffix},
 * {@code *.suffix:port} or an IPv6 literal in brackets. Without a port it matches any port;
 * {@code *.example.com} matches {@code a.example.com} and {@code a.b.example.com}, not
 * {@code example.com}.
 *
 * @param wildcard the entry names every host under {@code host}, not {@code host} itself
 * @param port the port, or -1 for any
 */
record HostPattern(boolean wildcard, Host host, int port, String entry) {
  private static final int ANY_PORT = -1;
  private static final Pattern NOT_A_HOST = Pattern.compile(".*[/?#@\\s\\\\].*");

  /** @throws IllegalArgumentException saying what is wrong with the entry (without repeating it) */
  static HostPattern parse(String entry) {
    String text = entry.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the entry is empty");
    }
    if (text.contains("://")) {
      throw new IllegalArgumentException("list the host without a scheme, e.g. api.example.com");
    }
    if (NOT_A_HOST.matcher(text).matches()) {
      throw new IllegalArgumentException("list the host only (host, host:port or *.suffix), without a path, query, "
          + "user or spaces");
    }
    boolean bracketed = text.startsWith("[");
    if (text.lastIndexOf('[') > 0) {
      throw new IllegalArgumentException("an IPv6 address is a whole entry, as in [::1] or [::1]:8443 (no wildcard)");
    }
    if (bracketed && text.indexOf(']') < 0) {
      throw new IllegalArgumentException("an IPv6 address needs its closing bracket");
    }
    // The port follows the last colon outside an IPv6 literal's brackets.
    int colon = bracketed ? text.indexOf(':', text.indexOf(']')) : text.indexOf(':');
    if (!bracketed && colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException("an IPv6 address needs brackets, as in [::1] or [::1]:8443");
    }
    String hostPart = text;
    int port = ANY_PORT;
    if (colon >= 0) {
      hostPart = text.substring(0, colon);
      port = port(text.substring(colon + 1));
    }
    boolean wildcard = hostPart.startsWith("*.");
    String name = wildcard ? hostPart.substring(2) : hostPart;
    if (name.contains("*")) {
      throw new IllegalArgumentException("'*' may only lead, as in *.example.com (an empty list allows any https host)");
    }
    Host host = Host.parse(name);
    if (wildcard && host.kind() != Host.Kind.NAME) {
      throw new IllegalArgumentException("a wildcard takes a DNS suffix, not an IP address");
    }
    return new HostPattern(wildcard, host, port, text);
  }

  boolean matches(Host candidate, int candidatePort) {
    if (port != ANY_PORT && port != candidatePort) {
      return false;
    }
    if (wildcard) {
      return candidate.kind() == Host.Kind.NAME && candidate.text().endsWith("." + host.text());
    }
    return candidate.equals(host);
  }

  private static int port(String digits) {
    if (!digits.matches("[0-9]{1,5}") || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
      throw new IllegalArgumentException("the port \"" + digits + "\" is not a number from 1 to 65535");
    }
    return Integer.parseInt(digits);
  }

  @Override
  public String toString() {
    return entry;
  }
}

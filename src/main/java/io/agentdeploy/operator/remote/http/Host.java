package io.agentdeploy.operator.remote.http;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host as the base-URL policy compares it: lower case, without a trailing dot, an IPv6 literal
 * in brackets and in one canonical spelling. Nothing here asks DNS: whether a host is loopback is
 * decided by its spelling alone, because a name answers whatever its DNS says today.
 *
 * @param text the normalised host
 */
record Host(String text, Kind kind) {
  enum Kind { NAME, IPV4, IPV6 }

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern DOTTED_QUAD = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
  private static final Pattern IPV6_TEXT = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*");
  private static final String IPV6_LOOPBACK = "[0:0:0:0:0:0:0:1]";

  /** @throws IllegalArgumentException saying what is wrong with {@code raw}, for a person to fix */
  static Host parse(String raw) {
    String host = raw.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      if (!host.endsWith("]")) {
        throw new IllegalArgumentException("an IPv6 address needs its closing bracket");
      }
      return ipv6(host.substring(1, host.length() - 1));
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("the host is empty");
    }
    if (host.contains(":")) {
      throw new IllegalArgumentException("an IPv6 address needs brackets, as in [::1]");
    }
    if (host.length() > 253) {
      throw new IllegalArgumentException("the host is longer than 253 characters");
    }
    String[] labels = host.split("\\.", -1);
    if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
      // No DNS name ends in a number: this is an IPv4 address, and only the dotted quad is unambiguous
      // (127.1, 0x7f.0.0.1 or 0177.0.0.1 mean different things to different parsers).
      if (!DOTTED_QUAD.matcher(host).matches() || !octetsInRange(labels)) {
        throw new IllegalArgumentException("an IPv4 address is written a.b.c.d, each 0-255 without leading zeros");
      }
      return new Host(host, Kind.IPV4);
    }
    for (String label : labels) {
      if (label.isEmpty()) {
        throw new IllegalArgumentException("the host has an empty label (two dots in a row, or a leading dot)");
      }
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("\"" + label + "\" is not a DNS label (letters, digits and '-', at most 63, "
            + "not starting or ending with '-')");
      }
    }
    return new Host(host, Kind.NAME);
  }

  /** Loopback by its literal spelling: localhost, 127.0.0.0/8, [::1]. A name that resolves there is not. */
  boolean isLoopbackLiteral() {
    return switch (kind) {
      case NAME -> text.equals("localhost");
      case IPV4 -> text.startsWith("127.");
      case IPV6 -> text.equals(IPV6_LOOPBACK);
    };
  }

  private static Host ipv6(String inner) {
    if (!IPV6_TEXT.matcher(inner).matches()) {
      throw new IllegalArgumentException("[" + inner + "] is not an IPv6 address");
    }
    try {
      // Bracketed and made of hex digits, colons and dots only: the JDK parses it as a literal and
      // never looks it up.
      InetAddress address = InetAddress.getByName("[" + inner + "]");
      if (address instanceof Inet4Address) {
        return new Host(address.getHostAddress(), Kind.IPV4); // ::ffff:a.b.c.d is where the JDK connects
      }
      return new Host("[" + address.getHostAddress() + "]", Kind.IPV6);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("[" + inner + "] is not an IPv6 address");
    }
  }

  private static boolean octetsInRange(String[] labels) {
    for (String label : labels) {
      if (Integer.parseInt(label) > 255) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}

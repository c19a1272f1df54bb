package io.agentdeploy.operator.remote.http;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts that bypass the proxy, read from {@code NO_PROXY} as curl and the Kubernetes client
 * read it: comma-separated entries, each {@code *} (everything), an IP address, a CIDR block of
 * either family, or a domain that matches itself and its subdomains (a leading {@code .} or
 * {@code *.} means the same), optionally with {@code :port}. Nothing here asks DNS: a name is
 * compared as written, an address block only matches an address literal.
 */
final class NoProxy {
  private sealed interface Entry permits Everything, Domain, Block {}

  private record Everything() implements Entry {}

  private record Domain(String name, int port) implements Entry {}

  /** An address block; a single address is a block of its full length. */
  private record Block(BigInteger network, int bits, int width, int port) implements Entry {}

  private final List<Entry> entries;

  private NoProxy(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  static NoProxy none() {
    return new NoProxy(List.of());
  }

  /** @throws InvalidHostEntry naming the entry that cannot be read */
  static NoProxy parse(String value) {
    List<Entry> entries = new ArrayList<>();
    if (value == null) {
      return new NoProxy(entries);
    }
    for (String raw : value.split(",")) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      if (!entry.isEmpty()) {
        entries.add(entry(entry));
      }
    }
    return new NoProxy(entries);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Whether a request to {@code host} (normalised, see {@link Host}) on {@code port} goes direct. */
  boolean bypasses(Host host, int port) {
    for (Entry entry : entries) {
      if (entry instanceof Everything) {
        return true;
      }
      if (entry instanceof Domain d && host.kind() == Host.Kind.NAME && portMatches(d.port(), port)
          && (host.text().equals(d.name()) || host.text().endsWith("." + d.name()))) {
        return true;
      }
      if (entry instanceof Block b && host.kind() != Host.Kind.NAME && portMatches(b.port(), port)
          && inBlock(host, b)) {
        return true;
      }
    }
    return false;
  }

  private static boolean portMatches(int wanted, int port) {
    return wanted == 0 || wanted == port;
  }

  private static Entry entry(String entry) {
    if (entry.equals("*")) {
      return new Everything();
    }
    try {
      String address = entry;
      int port = 0;
      int slash = entry.indexOf('/');
      String bits = null;
      if (slash >= 0) {
        address = entry.substring(0, slash);
        bits = entry.substring(slash + 1);
      } else if (entry.startsWith("[") && entry.contains("]:")) {
        port = port(entry.substring(entry.indexOf("]:") + 2));
        address = entry.substring(0, entry.indexOf("]:") + 1);
      } else if (entry.indexOf(':') > 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
        port = port(entry.substring(entry.indexOf(':') + 1)); // host:port (one colon: not IPv6)
        address = entry.substring(0, entry.indexOf(':'));
      }
      if (address.contains(":") && !address.startsWith("[")) {
        address = "[" + address + "]"; // a bare IPv6 address or block, as NO_PROXY usually writes it
      }
      if (address.startsWith("*.")) {
        address = address.substring(2);
      } else if (address.startsWith(".")) {
        address = address.substring(1);
      }
      Host host = Host.parse(address);
      if (host.kind() == Host.Kind.NAME) {
        if (bits != null) {
          throw new IllegalArgumentException("a CIDR block needs an IP address before the /");
        }
        return new Domain(host.text(), port);
      }
      BigInteger network = value(host);
      int width = host.kind() == Host.Kind.IPV4 ? 32 : 128;
      int prefix = bits == null ? width : Integer.parseInt(bits);
      if (prefix < 0 || prefix > width) {
        throw new IllegalArgumentException("the prefix length must be 0-" + width);
      }
      return new Block(network.shiftRight(width - prefix), prefix, width, port);
    } catch (IllegalArgumentException e) {
      throw new InvalidHostEntry("NO_PROXY entry \"" + entry + "\" cannot be read: " + e.getMessage());
    }
  }

  private static boolean inBlock(Host host, Block block) {
    int width = host.kind() == Host.Kind.IPV4 ? 32 : 128;
    return width == block.width() && value(host).shiftRight(width - block.bits()).equals(block.network());
  }

  private static BigInteger value(Host host) {
    try {
      // Host has already checked the spelling: the JDK parses a literal without asking DNS.
      return new BigInteger(1, InetAddress.getByName(host.text()).getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address");
    }
  }

  private static int port(String digits) {
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the port must be 1-65535");
    }
    return port;
  }
}

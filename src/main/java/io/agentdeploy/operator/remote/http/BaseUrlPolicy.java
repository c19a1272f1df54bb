package io.agentdeploy.operator.remote.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the operator may send a control plane's API key and the Secrets of its deployments. Whoever
 * may create a ControlPlane chooses its base URL, so the operator, not the resource, decides:
 * https only, except to a loopback host by its literal spelling (never by a DNS answer) and to the
 * hosts an administrator listed for plain http; and, when the allow-list is not empty, only to the
 * hosts it names (the plain-http hosts count as named).
 */
public final class BaseUrlPolicy {
  static final String ALLOWED_SETTING = "--allowed-hosts, env AGENTDEPLOY_ALLOWED_HOSTS, chart value remote.allowedHosts";
  static final String PLAIN_HTTP_SETTING =
      "--plain-http-hosts, env AGENTDEPLOY_PLAIN_HTTP_HOSTS, chart value remote.plainHttpHosts";

  /** The answer for one base URL: allowed, or refused with a condition reason and what to change. */
  public sealed interface Verdict {
    /** The URL to build an {@link Endpoint} on, or an IllegalArgumentException with the refusal. */
    AllowedBaseUrl orElseThrow();
  }

  public record Allowed(AllowedBaseUrl url) implements Verdict {
    @Override
    public AllowedBaseUrl orElseThrow() {
      return url;
    }
  }

  /** @param reason {@code InvalidBaseUrl}, {@code InsecureBaseUrl} or {@code BaseUrlNotAllowed} */
  public record Refused(String reason, String message) implements Verdict {
    @Override
    public AllowedBaseUrl orElseThrow() {
      throw new IllegalArgumentException(reason + ": " + message);
    }
  }

  private final List<HostPattern> allowed;
  private final List<HostPattern> plainHttp;

  private BaseUrlPolicy(List<HostPattern> allowed, List<HostPattern> plainHttp) {
    this.allowed = List.copyOf(allowed);
    this.plainHttp = List.copyOf(plainHttp);
  }

  /**
   * @param allowedHosts the allow-list; empty allows any host over https
   * @param plainHttpHosts hosts that may also be reached over plain http
   * @throws InvalidHostEntry naming the first entry that cannot be read, and why
   */
  public static BaseUrlPolicy of(List<String> allowedHosts, List<String> plainHttpHosts) {
    return new BaseUrlPolicy(parse(allowedHosts, "--allowed-hosts (AGENTDEPLOY_ALLOWED_HOSTS)"),
        parse(plainHttpHosts, "--plain-http-hosts (AGENTDEPLOY_PLAIN_HTTP_HOSTS)"));
  }

  /** No lists: any host over https, loopback over http. */
  public static BaseUrlPolicy anyHttpsHost() {
    return new BaseUrlPolicy(List.of(), List.of());
  }

  private static List<HostPattern> parse(List<String> entries, String setting) {
    List<HostPattern> out = new ArrayList<>();
    for (String entry : entries) {
      try {
        out.add(HostPattern.parse(entry));
      } catch (IllegalArgumentException e) {
        throw new InvalidHostEntry("invalid " + setting + " entry \"" + printable(entry) + "\": " + e.getMessage());
      }
    }
    return out;
  }

  public Verdict check(String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      return invalid("", "it is empty");
    }
    String text = baseUrl.strip().replaceAll("/+$", "");
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return invalid(text, e.getReason() + " at index " + e.getIndex());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return invalid(text, "it needs the scheme https://");
    }
    if (uri.getRawAuthority() == null) {
      return invalid(text, "it has no host");
    }
    if (uri.getRawUserInfo() != null) {
      return invalid(text, "it has a user part (user@); the API key comes from the Secret");
    }
    if (uri.getHost() == null) {
      return invalid(text, "the host is not a DNS name or IP address (letters, digits, '-' and '.'; no '_')");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return invalid(text, "a base URL has no query (?) or fragment (#)");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      return invalid(text, "the port " + uri.getPort() + " is not from 1 to 65535");
    }
    Host host;
    try {
      host = Host.parse(uri.getHost());
    } catch (IllegalArgumentException e) {
      return invalid(text, e.getMessage());
    }
    boolean https = scheme.equals("https");
    int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
    boolean plainHttpListed = matchesAny(plainHttp, host, port);
    if (!https && !host.isLoopbackLiteral() && !plainHttpListed) {
      return new Refused("InsecureBaseUrl", "spec.baseUrl " + text + " uses plain http to " + host + ", which is not "
          + "loopback: use https://, or have the operator's administrators list " + host + ":" + port
          + " as a plain-http host (" + PLAIN_HTTP_SETTING + ")");
    }
    if (!allowed.isEmpty() && !plainHttpListed && !matchesAny(allowed, host, port)) {
      return new Refused("BaseUrlNotAllowed", "spec.baseUrl " + text + " names " + host + ":" + port
          + ", which is not on the operator's allowed hosts (" + names(allowed) + "): point spec.baseUrl at an "
          + "allowed host, or have the operator's administrators add it (" + ALLOWED_SETTING + ")");
    }
    return new Allowed(new AllowedBaseUrl(text, host, port));
  }

  private static boolean matchesAny(List<HostPattern> patterns, Host host, int port) {
    return patterns.stream().anyMatch(p -> p.matches(host, port));
  }

  /** The first few entries: enough to spot a typo, short enough for a condition message. */
  private static String names(List<HostPattern> patterns) {
    String shown = patterns.stream().limit(5).map(HostPattern::entry).collect(Collectors.joining(", "));
    return patterns.size() <= 5 ? shown : shown + " and " + (patterns.size() - 5) + " more";
  }

  private static Refused invalid(String text, String why) {
    return new Refused("InvalidBaseUrl", "spec.baseUrl " + (text.isEmpty() ? "" : "\"" + printable(text) + "\" ")
        + "is not an absolute http(s) URL with a host: " + why + "; e.g. https://api.host.langchain.com");
  }

  /** A user's text, echoed in a one-line message: control characters shown as '?', and bounded. */
  private static String printable(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 200 ? clean : clean.substring(0, 200) + "...";
  }
}

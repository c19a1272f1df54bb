package io.agentdeploy.operator.remote.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The forward proxy for remote calls, from the variables the Kubernetes client reads too:
 * {@code HTTPS_PROXY} for https targets, {@code HTTP_PROXY} for plain http ones (no fall-back from
 * one to the other, as curl), {@code NO_PROXY} for the hosts that go direct; the upper-case name
 * wins over the lower-case one. A proxy is an {@code http://} URL, with credentials as
 * {@code user:password@} when it asks for them.
 *
 * @param https the proxy of https targets, or null
 * @param http the proxy of plain http targets, or null
 */
public record ProxySettings(Proxy https, Proxy http, NoProxy noProxy) {

  /**
   * One proxy. {@code toString} leaves the credentials out.
   *
   * @param basicCredentials base64 of {@code user:password}, or null
   */
  public record Proxy(String host, int port, String basicCredentials) {
    Optional<String> authorization() {
      return Optional.ofNullable(basicCredentials).map(c -> "Basic " + c);
    }

    @Override
    public String toString() {
      return "http://" + (basicCredentials == null ? "" : "***@") + host + ":" + port;
    }
  }

  public static ProxySettings none() {
    return new ProxySettings(null, null, NoProxy.none());
  }

  /** @throws InvalidHostEntry naming the variable that cannot be read (never its credentials) */
  public static ProxySettings fromEnvironment(Map<String, String> env) {
    return new ProxySettings(proxy(env, "HTTPS_PROXY"), proxy(env, "HTTP_PROXY"),
        NoProxy.parse(variable(env, "NO_PROXY")));
  }

  public boolean isEmpty() {
    return https == null && http == null;
  }

  /** For the start-up log line: proxies without credentials, and whether NO_PROXY has entries. */
  public String describe() {
    return "https targets via " + (https == null ? "direct" : https) + ", http targets via "
        + (http == null ? "direct" : http) + (noProxy.isEmpty() ? "" : ", NO_PROXY set");
  }

  private static String variable(Map<String, String> env, String name) {
    String upper = env.get(name);
    if (upper != null && !upper.isBlank()) {
      return upper.strip();
    }
    String lower = env.get(name.toLowerCase(java.util.Locale.ROOT));
    return lower == null || lower.isBlank() ? null : lower.strip();
  }

  private static Proxy proxy(Map<String, String> env, String name) {
    String value = variable(env, name);
    if (value == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(value.contains("://") ? value : "http://" + value);
    } catch (URISyntaxException e) {
      throw new InvalidHostEntry(name + " is not a URL (expected http://[user:password@]host:port)");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new InvalidHostEntry(name + " must be an http:// URL: the Java HTTP client speaks plain HTTP to "
          + "its proxy (CONNECT carries the TLS of https targets)");
    }
    if (uri.getHost() == null) {
      throw new InvalidHostEntry(name + " names no host (expected http://[user:password@]host:port)");
    }
    String userInfo = uri.getRawUserInfo();
    String credentials = null;
    if (userInfo != null && !userInfo.isEmpty()) {
      String decoded = URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
      credentials = Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
    }
    return new Proxy(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80, credentials);
  }
}

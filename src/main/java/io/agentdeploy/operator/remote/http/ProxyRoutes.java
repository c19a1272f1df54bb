package io.agentdeploy.operator.remote.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which way each remote call goes: direct for loopback and {@code NO_PROXY} matches, else through
 * the proxy {@link ProxySettings} names for its scheme. Also the header a proxied call carries.
 *
 * <p>Basic credentials on a CONNECT are refused by the JDK unless a process-wide property allows
 * them, which would change the Kubernetes client too. So an https target behind a proxy that asks
 * for credentials goes through a {@link ProxyTunnel} on loopback, which adds them to the CONNECT
 * it forwards; the JDK sends that tunnel a per-process token instead (a scheme it does not refuse),
 * so no other process on the host can use it.
 */
final class ProxyRoutes extends ProxySelector {
  private static final String AUTHORIZATION = "Proxy-Authorization";

  private final ProxySettings settings;
  private final ProxyTunnel tunnel;
  private final String tunnelAuthorization;

  private ProxyRoutes(ProxySettings settings, ProxyTunnel tunnel, String tunnelAuthorization) {
    this.settings = settings;
    this.tunnel = tunnel;
    this.tunnelAuthorization = tunnelAuthorization;
  }

  static ProxyRoutes of(ProxySettings settings) {
    ProxySettings.Proxy https = settings.https();
    if (https == null || https.basicCredentials() == null) {
      return new ProxyRoutes(settings, null, null);
    }
    byte[] token = new byte[24];
    new SecureRandom().nextBytes(token);
    String authorization = "Bearer " + HexFormat.of().formatHex(token);
    try {
      return new ProxyRoutes(settings, ProxyTunnel.start(https, authorization), authorization);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the loopback tunnel to the HTTPS proxy", e);
    }
  }

  @Override
  public List<java.net.Proxy> select(URI uri) {
    Optional<ProxySettings.Proxy> proxy = proxyFor(uri);
    if (proxy.isEmpty()) {
      return List.of(java.net.Proxy.NO_PROXY);
    }
    SocketAddress address = throughTunnel(uri) ? tunnel.address()
        : InetSocketAddress.createUnresolved(proxy.get().host(), proxy.get().port());
    return List.of(new java.net.Proxy(java.net.Proxy.Type.HTTP, address));
  }

  @Override
  public void connectFailed(URI uri, SocketAddress address, IOException failure) {
    // The call fails with its own error; there is no other route to try.
  }

  /** The Proxy-Authorization a call to {@code uri} carries, if any: never on a direct call. */
  Map<String, String> headersFor(URI uri) {
    if (throughTunnel(uri)) {
      return Map.of(AUTHORIZATION, tunnelAuthorization);
    }
    return proxyFor(uri).flatMap(ProxySettings.Proxy::authorization).map(a -> Map.of(AUTHORIZATION, a))
        .orElse(Map.of());
  }

  private boolean throughTunnel(URI uri) {
    return tunnel != null && "https".equalsIgnoreCase(uri.getScheme()) && proxyFor(uri).isPresent();
  }

  private Optional<ProxySettings.Proxy> proxyFor(URI uri) {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    ProxySettings.Proxy proxy = https ? settings.https() : settings.http();
    if (proxy == null || uri.getHost() == null) {
      return Optional.empty();
    }
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    Host host;
    try {
      host = Host.parse(uri.getHost());
    } catch (IllegalArgumentException unreadable) {
      return Optional.of(proxy); // the base-URL policy refuses such a host before any call
    }
    if (host.isLoopbackLiteral() || settings.noProxy().bypasses(host, port)) {
      return Optional.empty();
    }
    return Optional.of(proxy);
  }
}

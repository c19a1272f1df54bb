package io.agentdeploy.operator.remote.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback relay for CONNECT requests to an HTTPS proxy that asks for Basic credentials (see
 * {@link ProxyRoutes} for why). It reads the CONNECT the HTTP client sends it, checks the
 * per-process token, sends the same CONNECT to the proxy with the credentials, then copies bytes
 * both ways; the proxy's answer, a 407 included, reaches the client unchanged. TLS runs inside
 * the tunnel, end to end between the client and the control plane.
 */
final class ProxyTunnel {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyTunnel.class);
  private static final int MAX_HEAD = 8192;
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private final ServerSocket server;
  private final ProxySettings.Proxy upstream;
  private final String expectedAuthorization;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "proxy-tunnel");
    t.setDaemon(true);
    return t;
  });

  private ProxyTunnel(ServerSocket server, ProxySettings.Proxy upstream, String expectedAuthorization) {
    this.server = server;
    this.upstream = upstream;
    this.expectedAuthorization = expectedAuthorization;
  }

  static ProxyTunnel start(ProxySettings.Proxy upstream, String expectedAuthorization) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    ProxyTunnel tunnel = new ProxyTunnel(server, upstream, expectedAuthorization);
    tunnel.threads.execute(tunnel::accept);
    return tunnel;
  }

  InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> relay(client));
      } catch (IOException e) {
        LOG.debug("proxy tunnel stopped accepting: {}", e.getMessage());
      }
    }
  }

  private void relay(Socket client) {
    try (client) {
      String head = readHead(client.getInputStream());
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      if (requestLine.length != 3 || !requestLine[0].equals("CONNECT") || !authorized(lines)) {
        answer(client, "HTTP/1.1 407 Proxy Authentication Required");
        return;
      }
      String authority = requestLine[1];
      try (Socket proxy = new Socket()) {
        proxy.connect(new InetSocketAddress(upstream.host(), upstream.port()), CONNECT_TIMEOUT_MS);
        OutputStream toProxy = proxy.getOutputStream();
        toProxy.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nProxy-Authorization: "
            + upstream.authorization().orElseThrow() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        toProxy.flush();
        threads.execute(() -> copy(client, proxy));
        copy(proxy, client);
      }
    } catch (IOException e) {
      LOG.debug("proxy tunnel connection ended: {}", e.getMessage());
    }
  }

  private boolean authorized(String[] lines) {
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("proxy-authorization")
          && java.security.MessageDigest.isEqual(lines[i].substring(colon + 1).strip().getBytes(StandardCharsets.UTF_8),
              expectedAuthorization.getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    return false;
  }

  private static void answer(Socket client, String statusLine) throws IOException {
    client.getOutputStream().write((statusLine + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    client.getOutputStream().flush();
  }

  /** Copies until either side closes, then closes both so the other copy ends too. */
  private static void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException ended) {
      // One side went away: the tunnel is over.
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0 || head.size() >= MAX_HEAD) {
        throw new IOException("incomplete CONNECT request");
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}

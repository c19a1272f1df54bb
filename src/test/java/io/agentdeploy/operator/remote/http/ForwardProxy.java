package io.agentdeploy.operator.remote.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real forward proxy for tests, on loopback: CONNECT opens a tunnel, an absolute-form request is
 * forwarded (one request per connection). Every host it is asked for is reached on 127.0.0.1, so
 * tests can name remotes that are not loopback by spelling. With credentials set it answers 407
 * to a request without the matching Basic header. It records what it was asked.
 */
final class ForwardProxy implements AutoCloseable {
  /** One request the proxy received: its method, its target, and whether its credentials matched. */
  record Seen(String method, String target, boolean authorized) {}

  private final ServerSocket server;
  private final String expectedAuthorization;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-forward-proxy");
    t.setDaemon(true);
    return t;
  });

  /** @param basicCredentials base64 of user:password the proxy requires, or null for none */
  ForwardProxy(String basicCredentials) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.expectedAuthorization = basicCredentials == null ? null : "Basic " + basicCredentials;
    threads.execute(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      String head = readHead(client.getInputStream());
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      boolean authorized = expectedAuthorization == null || lines.length > 1 && java.util.Arrays.stream(lines)
          .anyMatch(l -> l.toLowerCase(Locale.ROOT).startsWith("proxy-authorization:")
              && l.substring(l.indexOf(':') + 1).strip().equals(expectedAuthorization));
      seen.add(new Seen(requestLine[0], requestLine[1], authorized));
      if (!authorized) {
        client.getOutputStream().write(("HTTP/1.1 407 Proxy Authentication Required\r\n"
            + "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        return;
      }
      if (requestLine[0].equals("CONNECT")) {
        int port = Integer.parseInt(requestLine[1].substring(requestLine[1].lastIndexOf(':') + 1));
        try (Socket target = new Socket(InetAddress.getLoopbackAddress(), port)) {
          client.getOutputStream().write("HTTP/1.1 200 Connection Established\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
          threads.execute(() -> pipe(client, target));
          pipe(target, client);
        }
        return;
      }
      URI uri = URI.create(requestLine[1]);
      try (Socket target = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
        StringBuilder forwarded = new StringBuilder(requestLine[0] + " " + uri.getRawPath()
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n");
        for (int i = 1; i < lines.length; i++) {
          String name = lines[i].substring(0, Math.max(lines[i].indexOf(':'), 0)).toLowerCase(Locale.ROOT);
          if (!name.startsWith("proxy-") && !name.equals("connection")) {
            forwarded.append(lines[i]).append("\r\n");
          }
        }
        forwarded.append("Connection: close\r\n\r\n");
        target.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
        threads.execute(() -> pipe(client, target));
        pipe(target, client);
      }
    } catch (IOException | RuntimeException ended) {
      // The exchange is over.
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException ended) {
      // one side closed
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the request head ended");
      }
      head.write(b);
      String text = head.toString(StandardCharsets.ISO_8859_1);
      if (text.endsWith("\r\n\r\n")) {
        return text;
      }
    }
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}

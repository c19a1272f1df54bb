package io.agentdeploy.operator.remote.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real HTTPS front for the simulator on loopback: it terminates TLS with the given certificate
 * and passes the plain bytes to the simulator's port. Its certificate can be swapped, as a
 * rotation on the server side.
 */
public final class TlsFront implements AutoCloseable {
  private final ServerSocket server;
  private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
  private final int backendPort;
  private volatile SSLContext context;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-tls-front");
    t.setDaemon(true);
    return t;
  });

  public TlsFront(SSLContext context, int backendPort) throws IOException {
    this.context = context;
    this.backendPort = backendPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  public void serve(SSLContext next) {
    this.context = next;
  }

  /** Connections accepted so far: whether anything was sent here at all. */
  public int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket raw = server.accept();
        connections.incrementAndGet();
        threads.execute(() -> relay(raw));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void relay(Socket raw) {
    try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
        Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
      tls.setUseClientMode(false);
      tls.startHandshake();
      threads.execute(() -> pipe(tls, backend));
      pipe(backend, tls);
    } catch (IOException ended) {
      // a failed handshake or a closed connection: the client sees it
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.close();
    } catch (IOException ended) {
      // one side closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}

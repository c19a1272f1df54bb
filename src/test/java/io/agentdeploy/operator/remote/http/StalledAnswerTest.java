package io.agentdeploy.operator.remote.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.remote.RemoteException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport against a real loopback server that stalls: one that accepts and never answers,
 * one that sends the status line, headers and part of the body and then stops. The call fails as a
 * retryable timeout, the exchange is cancelled (the server sees its connection closed), a GET gets
 * no second attempt once the call's deadline is spent, and an interrupt cancels the exchange too.
 * Without the deadline the first two would block for good: the class timeout turns that into a failure.
 */
@Timeout(60)
class StalledAnswerTest {
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final HttpTransport transport = new HttpTransport(meters, Duration.ofSeconds(1), TIMEOUT, 2);
  private StallingServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void headersThenAStalledBodyTimeOutAndTheConnectionIsClosed() throws IOException {
    server = new StallingServer(true);
    RemoteException e = assertInstanceOf(RemoteException.class, failure(() -> transport.send(endpoint(), get())));
    assertEquals(RemoteException.Kind.RETRYABLE, e.kind());
    assertEquals(0, e.httpStatus());
    assertTrue(e.getMessage().contains("no complete answer within the request timeout"), e.getMessage());
    server.awaitAllClosed();
    assertEquals(1, server.accepted.get(), "the call's deadline is spent: no second attempt");
    assertNotNull(meters.find("agentdeploy.remote.requests").tag("error_type", "timeout").tag("status", "timeout")
        .timer(), "counted as a timeout");
  }

  @Test
  void anAcceptedConnectionWithoutAnswerTimesOutAndIsClosed() throws IOException {
    server = new StallingServer(false);
    RemoteException e = assertInstanceOf(RemoteException.class, failure(() -> transport.send(endpoint(), get())));
    assertEquals(RemoteException.Kind.RETRYABLE, e.kind());
    server.awaitAllClosed();
    assertNotNull(meters.find("agentdeploy.remote.requests").tag("error_type", "timeout").timer());
  }

  @Test
  void aGetRetriedAfterAFastFailureStillEndsAtTheCallsDeadline() throws IOException {
    server = new StallingServer(true, 1);
    HttpTransport roomier = new HttpTransport(meters, Duration.ofSeconds(1), Duration.ofSeconds(3), 2);
    RemoteException e = assertInstanceOf(RemoteException.class, failure(() -> roomier.send(endpoint(), get())));
    assertTrue(e.getMessage().contains("no complete answer within the request timeout"), e.getMessage());
    server.awaitAllClosed();
    assertEquals(2, server.accepted.get(), "the 503 was retried, the stalled retry was cut at the deadline");
  }

  @Test
  void aStalledPostIsSentOnceAndFailsRetryable() throws IOException {
    server = new StallingServer(true);
    ApiRequest post = new ApiRequest("createDeployment", "POST", "/v2/deployments", Map.of(), "{\"name\":\"a\"}",
        Set.of());
    RemoteException e = assertInstanceOf(RemoteException.class, failure(() -> transport.send(endpoint(), post)));
    assertEquals(RemoteException.Kind.RETRYABLE, e.kind());
    server.awaitAllClosed();
    assertEquals(1, server.accepted.get());
  }

  @Test
  void anInterruptCancelsTheExchangeInFlight() throws Exception {
    server = new StallingServer(true);
    HttpTransport patient = new HttpTransport(meters, Duration.ofSeconds(1), Duration.ofMinutes(5), 2);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread caller = new Thread(() -> outcome.complete(failure(() -> patient.send(endpoint(), get()))));
    caller.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.accepted.get() == 1 && server.stalled.get() == 1);
    caller.interrupt();
    Throwable thrown = outcome.get(10, java.util.concurrent.TimeUnit.SECONDS);
    RemoteException e = assertInstanceOf(RemoteException.class, thrown);
    assertEquals(RemoteException.Kind.RETRYABLE, e.kind());
    server.awaitAllClosed();
    assertEquals(1, server.accepted.get(), "no retry after an interrupt");
  }

  private Endpoint endpoint() {
    AllowedBaseUrl url = BaseUrlPolicy.of(List.of(), List.of()).check("http://127.0.0.1:" + server.port())
        .orElseThrow();
    return new Endpoint("test", url, Map.of("X-Api-Key", "stalled-test-key"), new TokenBucket(100, 100, System::nanoTime));
  }

  private static ApiRequest get() {
    return ApiRequest.get("getDeployment", "/v2/deployments/d-1", Map.of());
  }

  private static Throwable failure(Runnable call) {
    try {
      call.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** Accepts connections, reads the request head, then stalls: after part of a body, or before any answer. */
  private static final class StallingServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    private final boolean partialBody;
    /** How many first connections answer 503 at once (and close) before the stalling starts. */
    private final int fastFailures;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger stalled = new AtomicInteger();
    /** Connections whose client closed them (read reached end of stream or reset). */
    final AtomicInteger closedByClient = new AtomicInteger();

    StallingServer(boolean partialBody) throws IOException {
      this(partialBody, 0);
    }

    StallingServer(boolean partialBody, int fastFailures) throws IOException {
      this.partialBody = partialBody;
      this.fastFailures = fastFailures;
      Thread acceptor = new Thread(this::accept, "stalling-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          boolean failFast = accepted.incrementAndGet() <= fastFailures;
          connections.add(connection);
          Thread handler = new Thread(() -> {
            if (failFast) {
              failFast(connection);
            } else {
              stall(connection);
            }
          }, "stalling-connection");
          handler.setDaemon(true);
          handler.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void stall(Socket connection) {
      try {
        InputStream in = connection.getInputStream();
        readHead(in);
        if (partialBody) {
          OutputStream out = connection.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n"
              + "{\"id\":\"d-1\",\"name\":\"a\",").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        stalled.incrementAndGet();
        // Never answers more; a read returns only when the client closes (or resets) the connection.
        while (in.read() >= 0) {
          // a body the client still sends is ignored
        }
        closedByClient.incrementAndGet();
      } catch (IOException reset) {
        closedByClient.incrementAndGet();
      }
    }

    private void failFast(Socket connection) {
      try (connection) {
        readHead(connection.getInputStream());
        connection.getOutputStream().write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        connection.getOutputStream().flush();
      } catch (IOException ignored) {
        // the client went away first
      }
      closedByClient.incrementAndGet(); // closed, by us: counted so that awaitAllClosed covers it
    }

    /** Reads up to the blank line that ends the request head, and a small body (Content-Length). */
    private static void readHead(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed");
        }
        head.append((char) b);
      }
    }

    /** Every accepted connection was closed by the client: the cancelled exchange freed it. */
    void awaitAllClosed() {
      await().atMost(Duration.ofSeconds(10)).until(() -> closedByClient.get() == accepted.get());
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket c : connections) {
        c.close();
      }
    }
  }
}

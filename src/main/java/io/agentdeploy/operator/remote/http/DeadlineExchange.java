package io.agentdeploy.operator.remote.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange with a hard deadline over all of it: connect, headers and the whole body.
 * {@link HttpRequest#timeout()} alone stops at the headers on JDK 17, so a server that sends
 * headers and then stalls would hold the calling thread for as long as the connection lives.
 * Past the deadline, or when the calling thread is interrupted, the exchange is cancelled
 * ({@code cancel(true)} on the client's future aborts it on JDK 16+ and closes its connection, so
 * nothing stays in the pool half-read).
 */
final class DeadlineExchange {
  private DeadlineExchange() {}

  /**
   * Sends {@code request} and reads the whole answer within {@code deadline}.
   *
   * @throws HttpTimeoutException past the deadline (the exchange is cancelled)
   * @throws InterruptedException when the calling thread is interrupted (the exchange is cancelled)
   * @throws IOException when the exchange fails otherwise, an unchecked failure of the client included
   */
  static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body,
      Duration deadline) throws IOException, InterruptedException {
    if (deadline.isZero() || deadline.isNegative()) {
      throw new HttpTimeoutException("deadline passed before the request was sent");
    }
    CompletableFuture<HttpResponse<T>> exchange = client.sendAsync(request, body);
    try {
      return exchange.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new HttpTimeoutException("no complete answer within the deadline");
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (CancellationException e) {
      throw new IOException("exchange cancelled");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io; // HttpTimeoutException (headers late) included
      }
      // Anything else the client failed with (an unchecked exception of a body handler, say) is a
      // failed exchange named by its class: its message may quote the URL or a header, so neither it
      // nor the cause goes on.
      throw new IOException(cause == null ? "exchange failed" : "exchange failed: " + cause.getClass().getSimpleName());
    }
  }
}

package io.agentdeploy.operator.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Exchanges a stall fault ({@link Fault.Hang}, {@link Fault.StallMidBody}) holds open. They are
 * parked here instead of blocking a server thread, so a long stall with many clients retrying
 * does not exhaust the simulator's pool (requests queued behind it would be served late, after
 * the stall is lifted, which no real remote does). Lifting the stall closes them all.
 */
final class StalledExchanges {
  private final List<HttpExchange> held = new ArrayList<>();

  synchronized void hold(HttpExchange exchange) {
    held.add(exchange);
  }

  synchronized int size() {
    return held.size();
  }

  /** Closes every held exchange: a client still waiting sees the connection end mid-answer. */
  void release() {
    List<HttpExchange> all;
    synchronized (this) {
      all = new ArrayList<>(held);
      held.clear();
    }
    for (HttpExchange exchange : all) {
      try {
        exchange.close();
      } catch (RuntimeException unfinishedBody) {
        // The promised body was never sent in full: closing drops the connection, as intended.
      }
    }
  }
}

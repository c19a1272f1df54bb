package io.agentdeploy.operator.simulator;

/** What the fault injector does to one request instead of (or after) serving it. */
public sealed interface Fault {
  /** Answer with this status and a {@code {"detail": ...}} body, without touching state. */
  record Status(int code) implements Fault {}

  /** Answer 429 with {@code Retry-After: seconds}. */
  record RateLimited(int retryAfterSeconds) implements Fault {}

  /** Close the connection without an answer. */
  record Drop() implements Fault {}

  /** Apply the request to the state, then answer with this status (or drop when code is 0). */
  record SaveThenFail(int code) implements Fault {}

  /** Wait this long before answering (to exceed a client timeout), then serve normally. */
  record Delay(long millis) implements Fault {}
}

package io.agentdeploy.operator.simulator;

/** What the fault injector does to one request instead of (or after) serving it. */
public sealed interface Fault {
  /**
   * Answer with this status and a {@code {"detail": ...}} body, without touching state.
   *
   * @param detail the body's detail, or null for a fixed text naming the status
   */
  record Status(int code, String detail) implements Fault {
    public Status(int code) {
      this(code, null);
    }
  }

  /** Answer 429 with {@code Retry-After: seconds}. */
  record RateLimited(int retryAfterSeconds) implements Fault {}

  /** Close the connection without an answer. */
  record Drop() implements Fault {}

  /** Apply the request to the state, then answer with this status (or drop when code is 0). */
  record SaveThenFail(int code) implements Fault {}

  /** Wait this long before answering (to exceed a client timeout), then serve normally. */
  record Delay(long millis) implements Fault {}

  /**
   * Answer 404 with an HTML page as an ingress or proxy in front of the API would (nginx's
   * default page, {@code Content-Type: text/html}), without touching state. Not the API's own
   * not-found: it says nothing about whether the object exists.
   */
  record HtmlNotFound() implements Fault {}

  /**
   * Answer FastAPI's unknown-route 404, {@code {"detail":"Not Found"}}, without touching state.
   * The API's documented not-found names the object (LangSmith: {@code "Deployment ID <id> not
   * found."}); this bare body comes from a route mismatch (a proxy rewriting paths, a version skew).
   */
  record BareNotFound() implements Fault {}

  /**
   * Accept the request and never answer: nothing is applied, the connection stays open until the
   * stall is lifted ({@link Faults#stall}, {@link Faults#clear}), then it is closed without an answer.
   */
  record Hang() implements Fault {}

  /**
   * Apply the request, then send the status line, the headers and part of the JSON body and stop:
   * the connection stays open, the rest never comes, until the stall is lifted (as for {@link Hang}).
   */
  record StallMidBody() implements Fault {}
}

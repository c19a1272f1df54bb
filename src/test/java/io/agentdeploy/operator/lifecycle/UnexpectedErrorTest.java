package io.agentdeploy.operator.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.controller.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A remote answer the client cannot use: the deployment's latest_revision_id reads "rev 1|x", from
 * which not even a URI can be built. The resource reports UnexpectedError (a fixed text, the
 * details in one event and one log line per pass, no stack trace, none of the remote's text), is
 * retried with backoff, the operator and the other resources go on, and it recovers when the
 * remote answers properly again.
 */
class UnexpectedErrorTest {
  private static final String MALFORMED = "rev 1|x";

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    log.start();
    root().addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    root().detachAppender(log);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Test
  void aMalformedRevisionIdIsAReasonNotAStackTraceLoopAndTheRestGoesOn() throws Exception {
    try (SimulatedWorld world = new SimulatedWorld()) {
      world.apply(Resources.dockerAgent("odd-answer", SimulatedWorld.CONTROL_PLANE, "registry.example.com/odd:1"));
      world.apply(Resources.dockerAgent("bystander", SimulatedWorld.CONTROL_PLANE, "registry.example.com/by:1"));
      String id = world.env.awaitReady("odd-answer").getStatus().getDeploymentId();
      world.env.awaitReady("bystander");

      world.sim.langsmith().showLatestRevisionAs(id, MALFORMED);
      AgentDeployment reported = world.env.awaitAgent("odd-answer", Duration.ofSeconds(20),
          OperatorHarness.reason(Conditions.SYNCED, "UnexpectedError"));
      String message = OperatorHarness.condition(reported, Conditions.SYNCED).orElseThrow().getMessage();
      assertTrue(message.contains("does not classify") && message.contains("retried with backoff"), message);
      assertFalse(message.contains(MALFORMED), message);

      // It stays so, pass after pass, without a status write, a second event or a stack trace.
      int writes = AgentDeploymentWrites.during(world.env.client, AgentDeploymentWrites.named("odd-answer"),
          () -> sleep(Duration.ofSeconds(4)));
      assertEquals(0, writes, "the same trouble again writes nothing");
      List<Event> events = world.env.events("odd-answer").stream()
          .filter(e -> "UnexpectedError".equals(e.getReason())).toList();
      assertEquals(1, events.size(), "one event for the episode");
      assertTrue(events.get(0).getMessage().contains("revision id"), events.get(0).getMessage());
      assertFalse(events.get(0).getMessage().contains(MALFORMED), events.get(0).getMessage());
      List<ILoggingEvent> lines = log.list.stream().filter(e -> e.getFormattedMessage().contains("odd-answer")
          && e.getFormattedMessage().contains("revision id")).toList();
      assertTrue(lines.size() >= 2, "a line per pass: " + lines.size());
      assertTrue(lines.size() <= 12, "backoff, not a hot loop: " + lines.size() + " lines");
      assertEquals(List.of(), log.list.stream().filter(e -> e.getThrowableProxy() != null)
          .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList(), "no stack trace");
      assertFalse(log.list.stream().anyMatch(e -> e.getFormattedMessage().contains(MALFORMED)), "no remote text");

      // The operator keeps running and the other resource of the same account is served as before.
      world.edit("bystander", a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/by:2");
        return a;
      });
      world.env.awaitAgent("bystander", Duration.ofSeconds(30),
          a -> a.getMetadata().getGeneration() == 2 && OperatorHarness.readyNow(a));

      world.sim.langsmith().showRealLatestRevision(id);
      world.env.awaitAgent("odd-answer", Duration.ofSeconds(30),
          a -> OperatorHarness.reason(Conditions.SYNCED, "Applied").test(a) && OperatorHarness.readyNow(a));
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

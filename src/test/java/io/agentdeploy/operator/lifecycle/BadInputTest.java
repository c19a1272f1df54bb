package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The operator rows of the bad-input table ({@link OperatorRows}), one operator per provider (and
 * per operator setting a row needs) with every row applied side by side: each ends with its reason
 * and a message that says what to fix, sends nothing (to the simulator, nor anywhere else: the
 * operator's request count equals the simulator's), leaks no Secret value into status, events or
 * the log, and logs no stack trace.
 */
class BadInputTest {
  /** The operator's allow-list for these worlds: the simulator's loopback host and *.example.com. */
  private static final List<String> ALLOWED_HOSTS = List.of("127.0.0.1", "*.example.com");

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
  void langSmithRowsEachGetTheirReasonAndSendNothing() {
    runRows(Provider.LANGSMITH);
  }

  @Test
  void agentexRowsEachGetTheirReasonAndSendNothing() {
    runRows(Provider.AGENTEX);
  }

  private void runRows(Provider provider) {
    List<String> failures = new ArrayList<>();
    for (OperatorRow.Setting setting : OperatorRow.Setting.values()) {
      List<OperatorRow> rows = OperatorRows.of(provider).stream().filter(r -> r.setting() == setting).toList();
      if (!rows.isEmpty()) {
        failures.addAll(runRows(rows, setting));
      }
    }
    assertEquals(List.of(), failures, provider.wireName() + " rows that failed");
  }

  /** The rows of one operator setting, side by side in one operator. */
  private List<String> runRows(List<OperatorRow> rows, OperatorRow.Setting setting) {
    OperatorConfig config = OperatorHarness.FAST.withRemoteHosts(ALLOWED_HOSTS, List.of())
        .withClusterControlPlanes(setting != OperatorRow.Setting.NO_CLUSTER_CONTROL_PLANES);
    try (SimulatedWorld world = new SimulatedWorld(SimulatedWorld.fastSimulator(), config)) {
      for (OperatorRow row : rows) {
        for (HasMetadata object : row.objects().apply(world.sim.baseUrl())) {
          world.env.client.resource(object).create();
        }
      }
      rows.forEach(row -> row.then().run(world));
      List<String> failures = new ArrayList<>();
      for (OperatorRow row : rows) {
        Optional<Condition> settled = awaitReason(world, row);
        if (settled.isEmpty() || !row.reason().equals(settled.get().getReason())) {
          failures.add(row + ": ended with " + settled.map(c -> c.getReason() + " \"" + c.getMessage() + "\"")
              .orElse("no condition"));
          continue;
        }
        String message = settled.get().getMessage();
        System.out.println("bad-input " + row.name() + " -> " + row.reason() + ": " + message);
        if (!message.contains(row.fix())) {
          failures.add(row + ": message does not say what to fix (" + row.fix() + "): " + message);
        }
      }
      for (OperatorRow row : rows) {
        List<RecordedRequest> sent = world.sim.requests().matching(r -> mentions(r, row.name()));
        if (!sent.isEmpty()) {
          failures.add(row + ": sent " + sent);
        }
        String status = Serialization.asJson(statusOf(world, row));
        world.env.flushEvents();
        String events = world.env.client.v1().events().inAnyNamespace().list().getItems().stream()
            .map(Event::getMessage).collect(Collectors.joining("\n"));
        String logged = logText();
        for (String secret : row.secrets()) {
          for (String part : parts(secret)) {
            if (status.contains(part) || events.contains(part) || logged.contains(part)) {
              failures.add(row + ": a Secret value appears in " + (status.contains(part) ? "status"
                  : events.contains(part) ? "an event" : "the log"));
            }
          }
        }
      }
      List<String> traces = log.list.stream().filter(e -> e.getThrowableProxy() != null)
          .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).distinct().toList();
      if (!traces.isEmpty()) {
        failures.add("stack traces in the log: " + traces);
      }
      failures.addAll(everyRequestReachedTheSimulator(world, rows));
      return failures;
    }
  }

  /**
   * A request's absence from the simulator's log says nothing about a row whose base URL cannot
   * reach the simulator: the operator's own count of the remote requests it made (the
   * agentdeploy_remote_requests series it exports) must equal the requests the simulator answered.
   * The good ControlPlanes' checks and lists are all the simulator's, so a single request of a
   * base-URL row, wherever it went (an unresolvable host, another server), makes the two differ.
   * Counted once the operator has stopped, so nothing is in flight.
   */
  private static List<String> everyRequestReachedTheSimulator(SimulatedWorld world, List<OperatorRow> rows) {
    world.env.stopOperator();
    var meters = world.env.runtime().meters();
    java.util.function.LongSupplier sent = () -> meters.find("agentdeploy.remote.requests").timers().stream()
        .mapToLong(io.micrometer.core.instrument.Timer::count).sum();
    try {
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> sent.getAsLong() == world.sim.requests().all().size());
      return List.of();
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return List.of("the operator sent " + sent.getAsLong() + " remote requests, the simulator answered "
          + world.sim.requests().all().size() + ": a row sent elsewhere (base-URL rows: " + rows.stream()
          .filter(r -> r.category() == BadInput.Category.BASE_URL).map(OperatorRow::name).toList() + ")");
    }
  }

  /** Waits for the row's reason; on timeout, returns whatever condition the subject has. */
  private static Optional<Condition> awaitReason(SimulatedWorld world, OperatorRow row) {
    try {
      return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> condition(world, row), c -> c.map(x -> row.reason().equals(x.getReason())).orElse(false));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return condition(world, row);
    }
  }

  private static Optional<Condition> condition(SimulatedWorld world, OperatorRow row) {
    return switch (row.subject()) {
      case AGENT_DEPLOYMENT -> {
        AgentDeployment agd = world.env.get(row.name());
        Optional<Condition> synced = OperatorHarness.condition(agd, Conditions.SYNCED);
        yield synced.filter(c -> "False".equals(c.getStatus())).or(() -> OperatorHarness.condition(agd, Conditions.READY));
      }
      case CONTROL_PLANE -> Optional.ofNullable(world.env.controlPlane(row.name()))
          .filter(c -> c.getStatus() != null).flatMap(c -> Conditions.find(c.getStatus().getConditions(),
              Conditions.READY));
      case CLUSTER_CONTROL_PLANE -> Optional.ofNullable(world.env.client.resources(ClusterControlPlane.class)
              .withName(row.name()).get()).filter(c -> c.getStatus() != null)
          .flatMap(c -> Conditions.find(c.getStatus().getConditions(), Conditions.READY));
    };
  }

  private static Object statusOf(SimulatedWorld world, OperatorRow row) {
    return switch (row.subject()) {
      case AGENT_DEPLOYMENT -> world.env.get(row.name()).getStatus();
      case CONTROL_PLANE -> world.env.controlPlane(row.name()).getStatus();
      case CLUSTER_CONTROL_PLANE -> world.env.client.resources(ClusterControlPlane.class).withName(row.name()).get()
          .getStatus();
    };
  }

  /** A request names the row when its path, query or body does (base URL path, manifest, deployment name). */
  private static boolean mentions(RecordedRequest request, String name) {
    return contains(request.path(), name) || contains(request.query(), name) || contains(request.requestBody(), name)
        || request.headers().values().stream().anyMatch(v -> contains(v, name));
  }

  private static boolean contains(String text, String part) {
    return text != null && text.contains(part);
  }

  /** The value and each piece of it between control characters, long enough to be telling. */
  private static List<String> parts(String secret) {
    List<String> parts = new ArrayList<>(List.of(secret));
    for (String piece : secret.split("\\p{Cntrl}")) {
      if (piece.length() >= 4 && !piece.equals(secret)) {
        parts.add(piece);
      }
    }
    return parts;
  }

  private String logText() {
    return log.list.stream().map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
        : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()))).collect(Collectors.joining("\n"));
  }
}

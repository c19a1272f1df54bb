package io.agentdeploy.operator.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.simulator.ChaosPlan.Kind;
import io.agentdeploy.operator.simulator.ChaosPlan.Rule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The misrouted-404 faults and the seeded chaos plan with its per-kind counters. */
class SimulatorChaosFaultsTest {
  private static final String KEY = "lsv2_sim_test_key";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Simulator sim;

  @BeforeEach
  void setUp() {
    sim = Simulator.start(SimulatorConfig.defaults());
  }

  @AfterEach
  void tearDown() {
    try {
      OpenApiContract.assertConforms(sim.requests().all());
    } finally {
      sim.close();
    }
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(5))
        .header("X-Api-Key", KEY).header("X-Tenant-Id", SimClient.TENANT);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String createLangSmith(String name) throws Exception {
    HttpResponse<String> created = call("POST", "/v2/deployments", SimClient.dockerBody(name, "registry.example.com/a:1"));
    assertEquals(201, created.statusCode(), created.body());
    return SimClient.JSON.readTree(created.body()).path("id").asText();
  }

  @Test
  void htmlNotFoundIsAnIngressPageAndTouchesNothing() throws Exception {
    String id = createLangSmith("html-404");
    sim.faults().next(SimOperation.GET_DEPLOYMENT, 1, new Fault.HtmlNotFound());
    HttpResponse<String> page = call("GET", "/v2/deployments/" + id, null);
    assertEquals(404, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
    assertTrue(page.body().startsWith("<html>") && page.body().contains("404 Not Found")
        && page.body().contains("nginx") && page.body().strip().endsWith("</html>"), page.body());
    assertEquals(200, call("GET", "/v2/deployments/" + id, null).statusCode(), "the deployment is still there");
    assertEquals(1, sim.langsmith().deployments().size());
    RecordedRequest logged = sim.requests().matching(r -> r.status() == 404).get(0);
    assertTrue(logged.exempt() && logged.responseBody().contains("nginx"), logged.toString());
  }

  @Test
  void bareNotFoundIsFastApisUnknownRouteAnswer() throws Exception {
    String id = createLangSmith("bare-404");
    sim.faults().next(SimOperation.GET_DEPLOYMENT, 1, new Fault.BareNotFound());
    HttpResponse<String> bare = call("GET", "/v2/deployments/" + id, null);
    assertEquals(404, bare.statusCode());
    assertEquals("application/json", bare.headers().firstValue("Content-Type").orElse(""));
    assertEquals("{\"detail\":\"Not Found\"}", bare.body());
    // The API's own not-found names the id; the bare one does not.
    sim.langsmith().deleteOutOfBand(id);
    Thread.sleep(1_100);
    HttpResponse<String> real = call("GET", "/v2/deployments/" + id, null);
    assertEquals(404, real.statusCode());
    assertTrue(real.body().contains(id), real.body());
  }

  @Test
  void chaosPlanHitsOnlyItsOperationsAndCountsPerProviderAndKind() throws Exception {
    String id = createLangSmith("planned");
    // Certain 404s on single reads; nothing else may be hit.
    sim.faults().chaos(new ChaosPlan(7, List.of(new Rule(Kind.HTML_404, 0.5, ChaosPlan.SINGLE_READS),
        new Rule(Kind.BARE_404, 0.5, ChaosPlan.SINGLE_READS))));
    for (int i = 0; i < 20; i++) {
      assertEquals(404, call("GET", "/v2/deployments/" + id, null).statusCode());
      assertEquals(200, call("GET", "/v2/deployments", null).statusCode(), "lists are not single reads");
    }
    ChaosPlan plan = sim.faults().chaos();
    assertEquals(20, plan.count(Simulator.PROVIDER_LANGSMITH, Kind.HTML_404)
        + plan.count(Simulator.PROVIDER_LANGSMITH, Kind.BARE_404));
    assertTrue(plan.count(Kind.HTML_404) > 0 && plan.count(Kind.BARE_404) > 0, plan.counts("langsmith").toString());
    assertEquals(0, plan.count(Simulator.PROVIDER_AGENTEX, Kind.HTML_404));

    // Paused: served normally, counts kept.
    plan.enabled(false);
    assertEquals(200, call("GET", "/v2/deployments/" + id, null).statusCode());
    assertEquals(20, plan.count(Kind.HTML_404) + plan.count(Kind.BARE_404));
  }

  @Test
  void lostAnswerAppliesTheWriteAndCountsUnderConcurrency() throws Exception {
    sim.faults().chaos(new ChaosPlan(11, List.of(new Rule(Kind.LOST_ANSWER, 1.0, ChaosPlan.WRITES))));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String name = "lost-" + i;
        calls.add(pool.submit(() -> {
          try {
            call("POST", "/v2/deployments", SimClient.dockerBody(name, "registry.example.com/a:1"));
            return false;
          } catch (IOException expected) {
            return true;
          }
        }));
      }
      for (Future<Boolean> f : calls) {
        assertTrue(f.get(), "every answer is lost");
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(40, sim.faults().chaos().count(Simulator.PROVIDER_LANGSMITH, Kind.LOST_ANSWER));
    assertEquals(40, sim.langsmith().deployments().size(), "every create was applied");
    assertEquals(0, sim.faults().chaos().count(Kind.SERVER_ERROR));
    JsonNode list = SimClient.JSON.readTree(call("GET", "/v2/deployments", null).body());
    assertTrue(list.isObject() || list.isArray(), "reads are untouched");
  }

  @Test
  void standardPlanCoversEveryKindWithTheStatedOperations() {
    ChaosPlan plan = ChaosPlan.standard(42);
    assertEquals(Set.of(Kind.values()), plan.rules().stream().map(Rule::kind).collect(java.util.stream.Collectors.toSet()));
    assertEquals(ChaosPlan.WRITES, plan.rules().stream().filter(r -> r.kind() == Kind.LOST_ANSWER)
        .flatMap(r -> r.operations().stream()).collect(java.util.stream.Collectors.toSet()),
        "lost answers hit every write of both providers");
    for (Rule r : plan.rules()) {
      Set<SimOperation> expected = switch (r.kind()) {
        case LOST_ANSWER -> ChaosPlan.provider(r.operations().iterator().next()).equals(
            io.agentdeploy.operator.simulator.Simulator.PROVIDER_AGENTEX) ? ChaosPlan.AGENTEX_WRITES : ChaosPlan.LANGSMITH_WRITES;
        case HTML_404, BARE_404 -> ChaosPlan.SINGLE_READS;
        default -> ChaosPlan.ANY;
      };
      assertEquals(expected, r.operations(), r.kind().name());
      assertTrue(r.probability() > 0, r.kind().name());
    }
    assertThrows(IllegalArgumentException.class, () -> new Rule(Kind.DROPPED, 1.5, ChaosPlan.ANY));
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentdeploy.operator.monitoring.PromQuery;
import io.agentdeploy.operator.monitoring.Scrape;
import io.agentdeploy.operator.rbac.RenderedChart;
import io.agentdeploy.operator.simulator.FailureRule;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.SimOperation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's alerts and dashboard against what the operator exports: a lifecycle in which each
 * alert's condition occurs (a rejected API key, a failed revision, a rejected create, 5xx,
 * dropped connections and timeouts, a 429 burst, a delete the remote keeps failing), one scrape
 * of /metrics, and every expression of the rendered chart parsed in the allowed PromQL subset.
 * Each metric name and label matcher must match a scraped series, and each alert whose condition
 * was produced must fire when evaluated on the scrape.
 */
class AlertsAndDashboardTest {
  /** Alerts whose condition the lifecycle produces. */
  private static final Set<String> PRODUCED = Set.of("AgentDeployControlPlaneNotReady", "AgentDeploymentsFailing",
      "AgentDeployRemoteErrors", "AgentDeployRemoteThrottled", "AgentDeployDeletionStuck");

  private static SimulatedWorld world;
  private static Scrape scrape;
  private static double secondsSinceStart;
  private static List<HasMetadata> chart;

  @BeforeAll
  static void runLifecycle() {
    long started = System.nanoTime();
    world = new SimulatedWorld(SimulatedWorld.fastSimulator()
        .withFailureRules(List.of(FailureRule.image(":broken$", "DEPLOY_FAILED"))), OperatorHarness.FAST);
    OperatorHarness env = world.env;
    // A ControlPlane whose key the remote refuses.
    env.client.resource(Resources.apiKeySecret("wrong-key", "lsv2_sk_not_the_right_key")).create();
    env.client.resource(Resources.controlPlane("bad-key", world.sim.baseUrl(), "wrong-key", SimulatedWorld.TENANT))
        .create();
    // A revision that fails, and a create the remote rejects.
    world.apply(Resources.dockerAgent("m-failed", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:broken"));
    env.awaitAgent("m-failed", Duration.ofSeconds(30), phase("Failed"));
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Status(422));
    world.apply(Resources.dockerAgent("m-rejected", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
    env.awaitAgent("m-rejected", Duration.ofSeconds(30), phase("Error"));
    // A 429 burst, then answers that are no use: 5xx, a dropped connection, a timeout (the create
    // lands late: the operator then finds it instead of creating again).
    world.sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 3, new Fault.RateLimited(1))
        .next(SimOperation.CREATE_DEPLOYMENT, 2, new Fault.Status(500))
        .next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Drop())
        .next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Delay(3_000));
    world.apply(Resources.dockerAgent("m-flaky", SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
    env.awaitReady("m-flaky");
    assertEquals(0, world.sim.faults().queued(SimOperation.CREATE_DEPLOYMENT), "every fault was served");
    // A delete the remote keeps failing.
    world.sim.faults().next(SimOperation.DELETE_DEPLOYMENT, 1_000, new Fault.Status(503));
    world.delete("m-flaky");
    env.awaitAgent("m-flaky", Duration.ofSeconds(20), phase("Deleting"));
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      var cp = env.controlPlane("bad-key");
      return cp.getStatus() != null && cp.getStatus().getConditions().stream()
          .anyMatch(c -> c.getType().equals("Ready") && "Unauthorized".equals(c.getReason()));
    });
    scrape = new Scrape(env.runtime().meters().scrape());
    secondsSinceStart = (System.nanoTime() - started) / 1e9;
    chart = RenderedChart.render(Map.of("prometheusRule.enabled", true, "dashboard.enabled", true,
        "serviceMonitor.enabled", true));
  }

  private static java.util.function.Predicate<io.agentdeploy.operator.api.AgentDeployment> phase(String phase) {
    return a -> a.getStatus() != null && phase.equals(a.getStatus().getPhase());
  }

  @AfterAll
  static void close() {
    if (world != null) {
      world.sim.faults().clear();
      world.close();
    }
  }

  @Test
  void everyAlertExpressionMatchesExportedSeriesAndTheProducedConditionsFire() {
    Map<String, String> alerts = alerts();
    assertEquals(Set.of("AgentDeployOperatorDown", "AgentDeployNoLeader", "AgentDeployControlPlaneNotReady",
        "AgentDeploymentsFailing", "AgentDeployRemoteErrors", "AgentDeployRemoteThrottled",
        "AgentDeployDeletionStuck"), alerts.keySet());
    List<String> problems = new ArrayList<>();
    alerts.forEach((name, expr) -> {
      PromQuery query = PromQuery.parse(expr);
      if (query.selector().metric().equals("up")) {
        // Recorded by Prometheus per target, not exported: its job must be the metrics Service.
        assertEquals(List.of(new PromQuery.LabelMatcher("job", "=", metricsService())), query.selector().matchers(),
            expr);
        return;
      }
      scrape.unmatched(query).forEach(p -> problems.add(name + ": " + p));
      boolean fires = !scrape.evaluate(query, secondsSinceStart).isEmpty();
      assertEquals(PRODUCED.contains(name), fires, name + " firing on the scrape: " + expr);
    });
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void everyDashboardExpressionMatchesExportedSeries() throws Exception {
    ConfigMap dashboard = RenderedChartDocs.only(chart, ConfigMap.class, "-dashboard");
    assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"), "found by Grafana's sidecar");
    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("agent-deployment-operator.json"));
    List<String> problems = new ArrayList<>();
    int expressions = 0;
    for (JsonNode panel : json.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        expressions++;
        String expr = target.path("expr").asText();
        scrape.unmatched(PromQuery.parse(expr)).forEach(p -> problems.add(panel.path("title").asText() + ": " + p));
      }
    }
    assertTrue(expressions >= 10, "panels: " + expressions);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void aDeletedControlPlaneLeavesNoReadinessSeries() {
    world.env.client.resource(world.env.controlPlane("bad-key")).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> new Scrape(world.env.runtime().meters().scrape()).all().stream()
        .noneMatch(s -> s.metric().equals("agentdeploy_controlplane_ready") && s.labels().get("name").equals("bad-key")));
    assertTrue(new Scrape(world.env.runtime().meters().scrape()).all().stream().anyMatch(s -> s.metric()
        .equals("agentdeploy_controlplane_ready") && s.labels().get("name").equals(SimulatedWorld.CONTROL_PLANE)),
        "the others stay");
  }

  @Test
  void ruleAndDashboardAreOptInAndTheirLabelsConfigurable() {
    List<HasMetadata> defaults = RenderedChart.render(Map.of());
    assertFalse(defaults.stream().anyMatch(d -> d.getKind().equals("PrometheusRule")
        || d.getMetadata().getName().endsWith("-dashboard")), "neither by default");
    List<HasMetadata> labelled = RenderedChart.render(Map.of("prometheusRule.enabled", true,
        "prometheusRule.labels.release", "kube-prometheus-stack", "dashboard.enabled", true,
        "dashboard.labels.grafana_dashboard", "agents", "dashboard.annotations.grafana_folder", "Operators"));
    assertEquals("kube-prometheus-stack", labelled.stream().filter(d -> d.getKind().equals("PrometheusRule"))
        .findFirst().orElseThrow().getMetadata().getLabels().get("release"));
    ConfigMap dashboard = RenderedChartDocs.only(labelled, ConfigMap.class, "-dashboard");
    assertEquals("agents", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
    assertEquals("Operators", dashboard.getMetadata().getAnnotations().get("grafana_folder"));
  }

  /** Today's names and labels are an API: dashboards and alerts users wrote must keep working. */
  @Test
  void metricNamesAndLabelsArePinned() {
    Map<String, Set<String>> labelsByName = new LinkedHashMap<>();
    for (Scrape.Series s : scrape.all()) {
      if (s.metric().startsWith("agentdeploy_")) {
        labelsByName.computeIfAbsent(s.metric(), k -> new TreeSet<>()).addAll(s.labels().keySet());
      }
    }
    Set<String> request = Set.of("provider", "operation", "status", "code", "error_type");
    Set<String> bucket = new TreeSet<>(request);
    bucket.add("le");
    assertEquals(Map.of(
        "agentdeploy_remote_requests_seconds_count", request,
        "agentdeploy_remote_requests_seconds_sum", request,
        "agentdeploy_remote_requests_seconds_max", request,
        "agentdeploy_remote_requests_seconds_bucket", bucket,
        "agentdeploy_resources", Set.of("phase"),
        "agentdeploy_rollout_duration_seconds_count", Set.of(),
        "agentdeploy_rollout_duration_seconds_sum", Set.of(),
        "agentdeploy_rollout_duration_seconds_max", Set.of(),
        "agentdeploy_rollout_duration_seconds_bucket", Set.of("le"),
        "agentdeploy_controlplane_ready", Set.of("kind", "namespace", "name", "reason")),
        without(labelsByName, "agentdeploy_build_info", "agentdeploy_leader", "agentdeploy_remote_requests_deferred_total",
            "agentdeploy_effective_resync_seconds", "agentdeploy_events_pending"));
    assertEquals(Set.of(), labelsByName.get("agentdeploy_events_pending"));
    // Exported once there is something to say: a call the client-side limit deferred; an Agentex ControlPlane.
    Set<String> deferred = labelsByName.get("agentdeploy_remote_requests_deferred_total");
    assertTrue(deferred == null || deferred.equals(Set.of("provider", "operation")), String.valueOf(deferred));
    Set<String> resync = labelsByName.get("agentdeploy_effective_resync_seconds");
    assertTrue(resync == null || resync.equals(Set.of("kind", "namespace", "name")), String.valueOf(resync));
    assertEquals(Set.of("version"), labelsByName.get("agentdeploy_build_info"));
    assertEquals(Set.of(), labelsByName.get("agentdeploy_leader"));
    assertEquals(Set.of("Pending", "Creating", "Deploying", "Ready", "Failed", "Error", "Paused", "Expired",
        "Deleting"), scrape.all().stream().filter(s -> s.metric().equals("agentdeploy_resources"))
        .map(s -> s.labels().get("phase")).collect(Collectors.toSet()), "every phase, zero or not");
    Set<String> operations = scrape.all().stream().filter(s -> s.metric().equals("agentdeploy_remote_requests_seconds_count"))
        .map(s -> s.labels().get("operation")).collect(Collectors.toSet());
    assertTrue(operations.containsAll(Set.of("createDeployment", "deleteDeployment")), operations.toString());
    Set<String> errorTypes = scrape.all().stream().filter(s -> s.metric().equals("agentdeploy_remote_requests_seconds_count"))
        .map(s -> s.labels().get("error_type") + "/" + s.labels().get("code") + "/" + s.labels().get("status"))
        .collect(Collectors.toSet());
    // status keeps its old values (codes, "timeout", "error"); code and error_type split them.
    assertTrue(errorTypes.containsAll(Set.of("none/201/201", "server/500/500", "timeout/none/timeout",
        "connection/none/error", "rate_limited/429/429", "client/422/422", "unauthorized/403/403")), errorTypes.toString());
    assertEquals(0.0, scrape.all().stream().filter(s -> s.metric().equals("agentdeploy_controlplane_ready")
        && s.labels().get("name").equals("bad-key")).mapToDouble(Scrape.Series::value).sum(), 0.0);
    assertFalse(scrape.all().stream().anyMatch(s -> s.labels().containsValue(SimulatedWorld.API_KEY)));
  }

  private static Map<String, Set<String>> without(Map<String, Set<String>> map, String... keys) {
    Map<String, Set<String>> out = new LinkedHashMap<>(map);
    for (String key : keys) {
      out.remove(key);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> alerts() {
    GenericKubernetesResource rule = chart.stream().filter(d -> d.getKind().equals("PrometheusRule"))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
    for (Map<String, Object> group : (List<Map<String, Object>>) spec.get("groups")) {
      for (Map<String, Object> r : (List<Map<String, Object>>) group.get("rules")) {
        out.put((String) r.get("alert"), (String) r.get("expr"));
      }
    }
    return out;
  }

  private static String metricsService() {
    return RenderedChartDocs.only(chart, Service.class, "-metrics").getMetadata().getName();
  }

  /** Picks one document of the rendered chart by type and name suffix. */
  private static final class RenderedChartDocs {
    static <T extends HasMetadata> T only(List<HasMetadata> docs, Class<T> type, String suffix) {
      List<T> found = docs.stream().filter(type::isInstance).map(type::cast)
          .filter(d -> d.getMetadata().getName().endsWith(suffix)).toList();
      assertEquals(1, found.size(), type.getSimpleName() + " *" + suffix);
      return found.get(0);
    }
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.HealthServer;
import io.agentdeploy.operator.simulator.SimOperation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /healthz, /readyz and /metrics after a real lifecycle, with series and values checked. */
class MetricsEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void probesAndMetricsDescribeWhatHappened() throws Exception {
    try (SimulatedWorld world = new SimulatedWorld();
        HealthServer health = HealthServer.start(0, world.env.runtime())) {
      int port = health.port();
      assertEquals(200, get(port, "/healthz").statusCode());
      await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/readyz").statusCode() == 200);

      for (String name : new String[] {"metrics-a", "metrics-b"}) {
        world.apply(Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1"));
      }
      world.env.awaitReady("metrics-a");
      world.env.awaitReady("metrics-b");
      world.delete("metrics-b");
      world.env.awaitGone("metrics-b");

      String scrape = get(port, "/metrics").body();
      long creates = world.sim.requests().count(SimOperation.CREATE_DEPLOYMENT);
      assertEquals(2, creates);
      assertEquals(creates, value(scrape, "agentdeploy_remote_requests_seconds_count{code=\"201\",error_type=\"none\","
          + "operation=\"createDeployment\",provider=\"langsmith\",status=\"201\"}"), 0.0, scrape);
      assertEquals(world.sim.requests().count(SimOperation.DELETE_DEPLOYMENT), value(scrape,
          "agentdeploy_remote_requests_seconds_count{code=\"204\",error_type=\"none\","
              + "operation=\"deleteDeployment\",provider=\"langsmith\",status=\"204\"}"), 0.0);
      assertTrue(value(scrape, "agentdeploy_remote_requests_seconds_sum{code=\"201\",error_type=\"none\","
          + "operation=\"createDeployment\",provider=\"langsmith\",status=\"201\"}") > 0, "latency is recorded");
      assertEquals(creates, value(scrape, "agentdeploy_remote_requests_seconds_bucket{code=\"201\",error_type=\"none\","
          + "operation=\"createDeployment\",provider=\"langsmith\",status=\"201\",le=\"+Inf\"}"), 0.0,
          "latency histogram buckets");
      assertEquals(1.0, value(scrape, "agentdeploy_controlplane_ready{kind=\"ControlPlane\",name=\""
          + SimulatedWorld.CONTROL_PLANE + "\",namespace=\"" + Resources.NS + "\",reason=\"Connected\"}"), 0.0);
      assertEquals(1.0, value(scrape, "agentdeploy_leader"), 0.0, "leader election off: this replica leads");
      assertEquals(1.0, value(scrape, "agentdeploy_build_info{version=\"unknown\"}"), 0.0, "run from classes");
      assertEquals(0.0, value(scrape, "agentdeploy_resources{phase=\"Expired\"}"), 0.0, "every phase exported");
      assertEquals(1.0, value(scrape, "agentdeploy_resources{phase=\"Ready\"}"), 0.0, "one left, Ready");
      assertEquals(0.0, value(scrape, "agentdeploy_resources{phase=\"Deleting\"}"), 0.0);
      assertEquals(2.0, value(scrape, "agentdeploy_rollout_duration_seconds_count"), 0.0);
      assertTrue(scrape.contains("operator_sdk_"), "JOSDK controller metrics are exported");
      assertFalse(scrape.contains(SimulatedWorld.API_KEY), "no secret in metrics");
    }
  }
}

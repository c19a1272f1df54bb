package io.agentdeploy.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A bare HTTP client for simulator tests (independent of the operator's own client). */
final class SimClient {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TENANT = "0f8d3c2a-1b4e-4c6d-9e7f-a1b2c3d4e5f6";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String baseUrl;
  String apiKey = "lsv2_sim_test_key";
  String tenant = TENANT;

  record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

  SimClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  Answer call(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5));
    if (apiKey != null) {
      b.header("X-Api-Key", apiKey);
    }
    if (tenant != null) {
      b.header("X-Tenant-Id", tenant);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body() == null || r.body().isEmpty() ? null : JSON.readTree(r.body());
    return new Answer(r.statusCode(), json, r);
  }

  static String dockerBody(String name, String image) {
    return """
        {"name":"%s","source":"external_docker","source_config":{"resource_spec":{"cpu":0.5,"memory_mb":1024}},
         "source_revision_config":{"image_uri":"%s"},"secrets":[{"name":"TOKEN","value":"t0k3n-value"}]}"""
        .formatted(name, image);
  }

  static String githubBody(String name, String ref) {
    return """
        {"name":"%s","source":"github","source_config":{"repo_url":"https://github.com/acme/a",
         "integration_id":"5d2e8b41-9c7a-4e3f-b6d0-1a2b3c4d5e6f","deployment_type":"dev","build_on_push":false},
         "source_revision_config":{"repo_ref":"%s","langgraph_config_path":"langgraph.json"},"secrets":[]}"""
        .formatted(name, ref);
  }
}

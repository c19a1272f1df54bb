package io.agentdeploy.operator.remote.langsmith;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What counts as drift, field by field: each row is a field, the value the spec wants, what the
 * remote holds, and whether that is the same (no PATCH) or drift (PATCH).
 */
class ContainmentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final boolean SAME = true;
  private static final boolean DRIFT = false;

  static Stream<Arguments> rows() {
    return Stream.of(
        // custom_url: scheme and host case, default port, trailing slash; path, query and port otherwise count.
        row("custom_url", "\"https://Agent.Example.com\"", "\"https://agent.example.com/\"", SAME),
        row("custom_url", "\"HTTPS://agent.example.com:443/api/\"", "\"https://agent.example.com/api\"", SAME),
        row("custom_url", "\"http://agent.example.com:80\"", "\"http://agent.example.com\"", SAME),
        row("custom_url", "\"https://agent.example.com/API\"", "\"https://agent.example.com/api\"", DRIFT),
        row("custom_url", "\"https://agent.example.com:8443\"", "\"https://agent.example.com\"", DRIFT),
        row("custom_url", "\"https://agent.example.com/?a=1\"", "\"https://agent.example.com/?a=2\"", DRIFT),
        row("custom_url", "\"https://other.example.com\"", "\"https://agent.example.com\"", DRIFT),
        row("custom_url", "\"not a url\"", "\"not a url\"", SAME),
        // image_uri: docker.io/library/ and :latest where the spec omits them; a registry's host case.
        row("image_uri", "\"agent\"", "\"docker.io/library/agent:latest\"", SAME),
        row("image_uri", "\"agent:1\"", "\"docker.io/library/agent:1\"", SAME),
        row("image_uri", "\"team/agent\"", "\"docker.io/team/agent:latest\"", SAME),
        row("image_uri", "\"team/agent\"", "\"index.docker.io/team/agent\"", SAME),
        row("image_uri", "\"Registry.Example.com/agent:1\"", "\"registry.example.com/agent:1\"", SAME),
        row("image_uri", "\"registry.example.com:5000/agent\"", "\"registry.example.com:5000/agent:latest\"", SAME),
        row("image_uri", "\"agent@sha256:abcd\"", "\"docker.io/library/agent@sha256:abcd\"", SAME),
        row("image_uri", "\"registry.example.com/agent:1\"", "\"registry.example.com/agent:2\"", DRIFT),
        row("image_uri", "\"registry.example.com/agent\"", "\"mirror.example.com/agent:latest\"", DRIFT),
        row("image_uri", "\"agent@sha256:abcd\"", "\"docker.io/library/agent:latest\"", DRIFT),
        row("image_uri", "\"registry.example.com/agent\"", "\"docker.io/library/agent:latest\"", DRIFT),
        // repo_ref: a branch stored as refs/heads/...; tags as written.
        row("repo_ref", "\"main\"", "\"refs/heads/main\"", SAME),
        row("repo_ref", "\"refs/tags/v1\"", "\"refs/tags/v1\"", SAME),
        row("repo_ref", "\"main\"", "\"develop\"", DRIFT),
        row("repo_ref", "\"refs/tags/v1\"", "\"v1\"", DRIFT),
        // langgraph_config_path and commands.
        row("langgraph_config_path", "\"langgraph.json\"", "\"./langgraph.json\"", SAME),
        row("langgraph_config_path", "\"agents//langgraph.json\"", "\"agents/langgraph.json\"", SAME),
        row("langgraph_config_path", "\"langgraph.json\"", "\"agents/langgraph.json\"", DRIFT),
        row("install_command", "\"npm  ci \"", "\"npm ci\"", SAME),
        row("build_command", "\"npm run build\"", "\"npm run build:prod\"", DRIFT),
        row("build_on_push", "true", "false", DRIFT),
        // resource_spec: numbers by value, CPU to one decimal, objects by wanted keys only.
        row("resource_spec", "{\"cpu\":0.5}", "{\"cpu\":0.50,\"memory_mb\":1024}", SAME),
        row("resource_spec", "{\"cpu\":0.25}", "{\"cpu\":0.3}", SAME),
        row("resource_spec", "{\"queue_cpu_limit\":1.04}", "{\"queue_cpu_limit\":1}", SAME),
        row("resource_spec", "{\"cpu\":0.5}", "{\"cpu\":1}", DRIFT),
        row("resource_spec", "{\"memory_mb\":1024}", "{\"memory_mb\":1025}", DRIFT),
        row("resource_spec", "{\"labels\":{\"team\":\"a\"}}", "{\"labels\":{\"team\":\"a\",\"added\":\"b\"}}", SAME),
        row("resource_spec", "{\"labels\":{\"team\":\"a\"}}", "{\"labels\":{\"team\":\"b\"}}", DRIFT),
        row("resource_spec", "{\"labels\":{}}", "{}", SAME),
        // arrays: element by element at the same index; extra remote elements are not drift.
        row("resource_spec", "{\"volumes\":[{\"name\":\"a\",\"emptyDir\":{}}]}",
            "{\"volumes\":[{\"name\":\"a\",\"emptyDir\":{\"medium\":\"\"}},{\"name\":\"tmp\",\"emptyDir\":{}}]}", SAME),
        row("resource_spec", "{\"volumes\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
            "{\"volumes\":[{\"name\":\"b\"},{\"name\":\"a\"}]}", DRIFT),
        row("resource_spec", "{\"volumes\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", "{\"volumes\":[{\"name\":\"a\"}]}",
            DRIFT),
        row("resource_spec", "{\"volumes\":[]}", "{}", SAME),
        row("resource_spec", "{\"volumes\":[{\"name\":\"a\"}]}", "{}", DRIFT),
        row("resource_spec", "{\"sidecars\":[{\"name\":\"proxy\",\"image\":\"envoy\"}]}",
            "{\"sidecars\":[{\"name\":\"proxy\",\"image\":\"docker.io/library/envoy:latest\","
                + "\"imagePullPolicy\":\"IfNotPresent\"}]}", SAME),
        row("resource_spec", "{\"sidecars\":[{\"name\":\"proxy\",\"image\":\"envoy:1\"}]}",
            "{\"sidecars\":[{\"name\":\"proxy\",\"image\":\"envoy:2\"}]}", DRIFT),
        row("resource_spec", "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\",\"command\":[\"run\",\"--fast\"]}]}",
            "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\",\"command\":[\"run\",\"--fast\",\"--added\"]}]}", SAME),
        row("resource_spec", "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\",\"command\":[\"run\",\"--fast\"]}]}",
            "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\",\"command\":[\"run\",\"--slow\"]}]}", DRIFT),
        row("resource_spec", "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\",\"command\":[\"run  it\"]}]}",
            "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\",\"command\":[\"run it\"]}]}", DRIFT),
        // container resources: Kubernetes quantities by value.
        row("resource_spec", "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\",\"resources\":{\"limits\":"
            + "{\"cpu\":\"1000m\",\"memory\":\"1Gi\"}}}]}", "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\","
            + "\"resources\":{\"limits\":{\"cpu\":\"1\",\"memory\":\"1024Mi\"}}}]}", SAME),
        row("resource_spec", "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\",\"resources\":{\"requests\":"
            + "{\"memory\":\"1G\"}}}]}", "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\","
            + "\"resources\":{\"requests\":{\"memory\":\"1Gi\"}}}]}", DRIFT),
        row("resource_spec", "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\",\"resources\":{\"requests\":"
            + "{\"memory\":\"1e3\"}}}]}", "{\"sidecars\":[{\"name\":\"p\",\"image\":\"e\","
            + "\"resources\":{\"requests\":{\"memory\":\"1k\"}}}]}", SAME),
        // a wanted value of another type is drift, whatever the text.
        row("resource_spec", "{\"cpu\":1}", "{\"cpu\":\"1\"}", DRIFT),
        row("custom_url", "\"https://agent.example.com\"", "null", DRIFT));
  }

  private static Arguments row(String field, String wanted, String remote, boolean same) {
    return Arguments.of(field, wanted, remote, same);
  }

  @ParameterizedTest(name = "{0}: spec {1}, remote {2} -> same {3}")
  @MethodSource("rows")
  void comparesInTheFieldsForm(String field, String wanted, String remote, boolean same) throws Exception {
    JsonNode want = JSON.readTree(wanted);
    JsonNode have = JSON.readTree(remote);
    assertEquals(same, Containment.contains(field, have, want));
  }
}

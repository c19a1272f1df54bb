package io.agentdeploy.operator.remote.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP call. Only idempotent calls (GET, DELETE) are ever retried by the transport; a POST
 * that fails goes back to the reconciler, which looks the deployment up before trying again.
 *
 * @param operation name for metrics and logs, e.g. "createDeployment"
 * @param query query parameters in order; null values are skipped
 * @param jsonBody request body or null
 * @param sensitive values in the body that must not appear in any message
 * @param repeated query keys sent once per value ({@code ?k=a&k=b}, an OpenAPI exploded array), after {@code query}
 */
public record ApiRequest(String operation, String method, String path, Map<String, String> query, String jsonBody,
    Set<String> sensitive, Map<String, java.util.List<String>> repeated) {

  public ApiRequest {
    query = query == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(query));
    sensitive = sensitive == null ? Set.of() : Set.copyOf(sensitive);
    Map<String, java.util.List<String>> copy = new LinkedHashMap<>();
    if (repeated != null) {
      repeated.forEach((k, v) -> copy.put(k, java.util.List.copyOf(v)));
    }
    repeated = java.util.Collections.unmodifiableMap(copy);
  }

  /** A call without repeated query keys. */
  public ApiRequest(String operation, String method, String path, Map<String, String> query, String jsonBody,
      Set<String> sensitive) {
    this(operation, method, path, query, jsonBody, sensitive, null);
  }

  public static ApiRequest get(String operation, String path, Map<String, String> query) {
    return new ApiRequest(operation, "GET", path, query, null, Set.of());
  }

  public boolean idempotent() {
    return method.equals("GET") || method.equals("DELETE");
  }

  @Override
  public String toString() {
    // Never the body: it may carry secret values.
    return operation + " " + method + " " + path;
  }
}

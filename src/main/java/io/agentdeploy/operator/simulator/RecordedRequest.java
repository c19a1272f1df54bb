package io.agentdeploy.operator.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * One request as the simulator saw it and answered it.
 *
 * @param headers request headers, lower-case names, credential values replaced by "***"
 * @param exempt the answer came from the auth check or the fault injector, not from the API model,
 *     so it is not expected to follow the OpenAPI description
 */
public record RecordedRequest(Instant time, String provider, SimOperation operation, String method, String path,
    String query, Map<String, String> headers, String requestBody, int status, Map<String, String> responseHeaders,
    String responseBody, boolean exempt) {

  @Override
  public String toString() {
    // Bodies may carry secret values (env of a deployment): only the shape goes into text.
    return time + " " + method + " " + path + (query == null ? "" : "?" + query) + " -> " + status + " ("
        + operation + (exempt ? ", exempt" : "") + ")";
  }
}

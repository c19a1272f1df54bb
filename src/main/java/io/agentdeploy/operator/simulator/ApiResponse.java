package io.agentdeploy.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** What a simulated endpoint answers; a null body means no body (204). */
record ApiResponse(int status, JsonNode body, Map<String, String> headers) {
  static ApiResponse of(int status, JsonNode body) {
    return new ApiResponse(status, body, Map.of());
  }

  static ApiResponse detail(int status, String detail) {
    return of(status, LangSmithState.JSON.createObjectNode().put("detail", detail));
  }

  /** FastAPI's 422 envelope. */
  static ApiResponse validation(String location, String message, String type) {
    var body = LangSmithState.JSON.createObjectNode();
    var item = body.putArray("detail").addObject();
    var loc = item.putArray("loc");
    for (String part : location.split("\\.")) {
      loc.add(part);
    }
    item.put("msg", message);
    item.put("type", type);
    return of(422, body);
  }
}

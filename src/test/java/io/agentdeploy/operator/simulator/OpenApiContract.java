package io.agentdeploy.operator.simulator;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks recorded simulator traffic against the OpenAPI description of the remote API: every
 * request, every response the API model produced, and the {@code {"detail": "..."}} shape of
 * the answers from the auth check and the fault injector (which the spec does not list).
 */
public final class OpenApiContract {
  /** The checked-in copy of shared/api/langsmith-control-plane-v2.yaml. */
  public static final Path LANGSMITH_SPEC = Path.of("src/test/resources/openapi/langsmith-control-plane-v2.yaml");
  /** The checked-in copy of shared/api/agentex-v5-deployments.yaml. */
  public static final Path AGENTEX_SPEC = Path.of("src/test/resources/openapi/agentex-v5-deployments.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static OpenApiInteractionValidator langsmith;
  private static OpenApiInteractionValidator agentex;

  private OpenApiContract() {}

  static synchronized OpenApiInteractionValidator validator(String provider) {
    if (Simulator.PROVIDER_AGENTEX.equals(provider)) {
      if (agentex == null) {
        agentex = load(AGENTEX_SPEC);
      }
      return agentex;
    }
    if (langsmith == null) {
      langsmith = load(LANGSMITH_SPEC);
    }
    return langsmith;
  }

  private static OpenApiInteractionValidator load(Path spec) {
    try {
      return OpenApiInteractionValidator.createForInlineApiSpecification(Files.readString(spec))
          .withLevelResolver(LevelResolver.create()
              .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE).build())
          .build();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every problem found in {@code log}, one line each; empty when all traffic conforms. */
  public static List<String> violations(List<RecordedRequest> log) {
    return violations(log, false);
  }

  /**
   * @param allowRejected accept requests that break the schema when the simulator rejected them
   *     with 422 (tests that send invalid input on purpose); their 422 answers are still checked
   */
  public static List<String> violations(List<RecordedRequest> log, boolean allowRejected) {
    List<String> problems = new ArrayList<>();
    for (RecordedRequest r : log) {
      OpenApiInteractionValidator validator = validator(r.provider());
      ValidationReport request = validator.validateRequest(toRequest(r));
      if (request.hasErrors() && !(allowRejected && r.status() == 422)) {
        problems.add(r + " request: " + messages(request));
      }
      if (r.status() == 0) {
        continue;
      }
      if (r.exempt() && r.responseHeaders().getOrDefault("Content-Type", "").startsWith("text/html")) {
        // Fault.HtmlNotFound: a proxy's page in front of the API, not the API's answer, by design.
        continue;
      }
      if (Simulator.PROVIDER_AGENTEX.equals(r.provider()) && r.status() >= 400) {
        // The Agentex spec gives errors as {detail: {}} (any type); the validator reads the empty
        // schema as "object" and refuses FastAPI's string or array detail. Check the shape instead.
        String problem = agentexErrorShape(r.responseBody());
        if (problem != null) {
          problems.add(r + " error response: " + problem);
        }
        continue;
      }
      if (r.exempt()) {
        String detailProblem = detailShape(r.responseBody());
        if (detailProblem != null) {
          problems.add(r + " exempt response: " + detailProblem);
        }
        continue;
      }
      SimpleResponse.Builder response = SimpleResponse.Builder.status(r.status());
      if (r.responseBody() != null) {
        response.withContentType("application/json").withBody(r.responseBody());
      }
      ValidationReport report = validator.validateResponse(r.path(), Request.Method.valueOf(r.method()),
          response.build());
      if (report.hasErrors()) {
        problems.add(r + " response: " + messages(report));
      }
    }
    return problems;
  }

  /** Fails with every violation listed. */
  public static void assertConforms(List<RecordedRequest> log) {
    assertConforms(log, false);
  }

  public static void assertConforms(List<RecordedRequest> log, boolean allowRejected) {
    List<String> problems = violations(log, allowRejected);
    if (!problems.isEmpty()) {
      throw new AssertionError(problems.size() + " of " + log.size() + " exchanges break the contract:\n"
          + String.join("\n", problems));
    }
  }

  private static String agentexErrorShape(String body) {
    try {
      JsonNode node = JSON.readTree(body == null ? "" : body);
      return node != null && (node.path("detail").isTextual() || node.path("detail").isArray()) ? null
          : "expected {\"detail\": string or list} but got " + body;
    } catch (java.io.IOException e) {
      return "not JSON: " + body;
    }
  }

  private static String detailShape(String body) {
    try {
      JsonNode node = JSON.readTree(body == null ? "" : body);
      return node != null && node.path("detail").isTextual() ? null : "expected {\"detail\": \"...\"} but got " + body;
    } catch (java.io.IOException e) {
      return "not JSON: " + body;
    }
  }

  private static Request toRequest(RecordedRequest r) {
    SimpleRequest.Builder b = new SimpleRequest.Builder(r.method(), r.path());
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      b.withHeader(h.getKey(), h.getValue());
    }
    if (r.query() != null) {
      Simulator.parseQuery(r.query()).forEach((k, values) -> b.withQueryParam(k, values));
    }
    if (r.requestBody() != null && !r.requestBody().isEmpty()) {
      b.withBody(r.requestBody());
    }
    return b.build();
  }

  private static String messages(ValidationReport report) {
    List<String> out = new ArrayList<>();
    for (ValidationReport.Message m : report.getMessages()) {
      if (m.getLevel() == ValidationReport.Level.ERROR) {
        out.add(m.getKey() + ": " + m.getMessage() + (m.getNestedMessages().isEmpty() ? ""
            : " " + m.getNestedMessages().stream().map(ValidationReport.Message::getMessage).toList()));
      }
    }
    return String.join("; ", out);
  }
}

package io.agentdeploy.operator.remote.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * What an error answer may contribute to a message. Only a JSON body (declared JSON by its
 * content type and parsed as a JSON object) says anything: an HTML page or plain text from a proxy,
 * an ingress or a server that is not the API gives a message built from the status code alone.
 * Only what the two APIs document is copied (shared/api): a {@code detail} string (LangSmith's
 * ErrorDetail, Agentex's inferred FastAPI body) and, for a 422 only, the {@code loc} and {@code msg}
 * of each FastAPI validation error (never its {@code input}, which echoes the request). Any other
 * member (an undocumented {@code message}, a validation-shaped list on another status) is left
 * out. The text is redacted and bounded ({@link RemoteText#MAX_MESSAGE}).
 *
 * @param detail the human part (the {@code detail} string, or a 422's loc and msg); empty when none
 * @param apiDetail the {@code detail} string itself, or null: tells the API's own not-found from a proxy's
 */
record ErrorBody(String detail, String apiDetail) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final ErrorBody NONE = new ErrorBody("", null);
  /** What stands for an answer's text that echoed the request. */
  static final String ECHO_DROPPED = "(the answer's text quoted the request and was left out)";

  static ErrorBody of(int status, String contentType, String body, Collection<String> sensitive) {
    if (!declaresJson(contentType) || body == null || body.isBlank()) {
      return NONE;
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException notJson) {
      return NONE;
    }
    if (node == null || !node.isObject()) {
      return NONE;
    }
    JsonNode detail = node.path("detail");
    String human = human(status, detail);
    if (Redactor.echoesRequest(human, sensitive)) {
      // The answer quotes the request (a short secret value, an env name and value, the JSON sent):
      // none of it may reach a status, so only the status code speaks.
      return new ErrorBody(ECHO_DROPPED, detail.isTextual() ? ECHO_DROPPED : null);
    }
    String apiDetail = detail.isTextual() ? clean(detail.asText(), sensitive) : null;
    return new ErrorBody(clean(human, sensitive), apiDetail);
  }

  /** {@code application/json} or any {@code application/*+json}, parameters such as charset aside. */
  static boolean declaresJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || mediaType.matches("application/[a-z0-9.+-]+\\+json");
  }

  private static String human(int status, JsonNode detail) {
    if (detail.isTextual()) {
      return detail.asText();
    }
    if (status == 422 && detail.isArray()) {
      StringJoiner joiner = new StringJoiner("; ");
      // loc and msg only: FastAPI's "input" echoes the request, which can carry secret values.
      for (JsonNode item : detail) {
        StringJoiner loc = new StringJoiner(".");
        item.path("loc").forEach(part -> loc.add(part.asText()));
        joiner.add(loc + ": " + item.path("msg").asText());
      }
      return joiner.toString();
    }
    return "";
  }

  /** Redacted before it is cut, so no part of a secret survives at the cut. */
  private static String clean(String text, Collection<String> sensitive) {
    return RemoteText.bounded(Redactor.redact(text, sensitive), RemoteText.MAX_MESSAGE);
  }
}

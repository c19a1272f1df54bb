package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Text from an error answer: only from a JSON body, redacted, cleaned and bounded. */
class ErrorBodyTest {
  private static final String JSON = "application/json";

  @Test
  void fastApiValidationErrorsKeepLocationAndMessageButNeverTheInput() {
    String body = """
        {"detail":[{"loc":["body","secrets",0,"value"],"msg":"field required","type":"missing",
          "input":{"name":"TOKEN","value":"super-secret-value"}}]}""";
    ErrorBody error = ErrorBody.of(422, JSON, body, Set.of());
    assertEquals("body.secrets.0.value: field required", error.detail());
    assertFalse(error.detail().contains("super-secret-value"));
    assertNull(error.apiDetail(), "a list is not the API's detail string");
  }

  @Test
  void theDetailStringFromJson() {
    ErrorBody error = ErrorBody.of(404, "application/json; charset=utf-8",
        "{\"detail\":\"Deployment ID x not found.\"}", Set.of());
    assertEquals("Deployment ID x not found.", error.detail());
    assertEquals("Deployment ID x not found.", error.apiDetail());
    assertEquals("quota exceeded", ErrorBody.of(400, "application/problem+json", "{\"detail\":\"quota exceeded\"}",
        Set.of()).detail());
  }

  /** Neither API documents a top-level message (shared/api): it is not the API's text, so it is not copied. */
  @Test
  void aMessageMemberIsNotCopied() {
    for (int status : new int[] {400, 404, 409, 422, 500, 503}) {
      ErrorBody error = ErrorBody.of(status, JSON, "{\"message\":\"trace 7f3a: upstream said no\"}", Set.of());
      assertEquals(ErrorBody.NONE, error, "status " + status);
    }
    ErrorBody both = ErrorBody.of(400, JSON, "{\"detail\":\"bad image\",\"message\":\"trace 7f3a\"}", Set.of());
    assertEquals("bad image", both.detail());
  }

  /** loc and msg are FastAPI's 422 envelope: the same shape on another status is not the API's and is left out. */
  @Test
  void locationAndMessageOnlyFromA422() {
    String body = "{\"detail\":[{\"loc\":[\"body\",\"name\"],\"msg\":\"too long\",\"type\":\"string_too_long\"}]}";
    assertEquals("body.name: too long", ErrorBody.of(422, JSON, body, Set.of()).detail());
    for (int status : new int[] {400, 404, 409, 500, 503}) {
      assertEquals(ErrorBody.NONE, ErrorBody.of(status, JSON, body, Set.of()), "status " + status);
    }
  }

  @Test
  void onlyABodyDeclaredJsonAndParsedAsAJsonObjectSaysAnything() {
    String html = "<html><head><title>404 Not Found</title></head><body>nginx</body></html>";
    String json = "{\"detail\":\"looks like the API\"}";
    for (var answer : List.of(
        List.of("text/html", html),
        List.of("text/plain", "upstream connect error or disconnect/reset before headers"),
        List.of("text/html", json), // JSON text served as a page is not the API's answer
        List.of("", json),
        List.of(JSON, html), // declared JSON, is not
        List.of(JSON, "[\"detail\"]"),
        List.of(JSON, "\"a string\""),
        List.of(JSON, ""))) {
      ErrorBody error = ErrorBody.of(400, answer.get(0).isEmpty() ? null : answer.get(0), answer.get(1), Set.of());
      assertEquals(ErrorBody.NONE, error, answer.toString());
    }
  }

  @Test
  void contentTypesThatDeclareJson() {
    assertTrue(ErrorBody.declaresJson("application/json"));
    assertTrue(ErrorBody.declaresJson("Application/JSON; charset=UTF-8"));
    assertTrue(ErrorBody.declaresJson("application/problem+json"));
    assertFalse(ErrorBody.declaresJson("application/jsonp"));
    assertFalse(ErrorBody.declaresJson("text/json+html"));
    assertFalse(ErrorBody.declaresJson(null));
  }

  @Test
  void longTextIsBoundedAndControlCharactersAreRemoved() {
    String detail = "first line\r\nKubernetes-Event: \u001b[31mfake\u0000 \u202Ereversed\u2028" + "x".repeat(5000);
    ErrorBody error = ErrorBody.of(400, JSON, "{\"detail\":" + quote(detail) + "}", Set.of());
    assertTrue(error.detail().length() <= RemoteText.MAX_MESSAGE, error.detail().length() + " characters");
    assertTrue(error.detail().startsWith("first line Kubernetes-Event: [31mfake reversed xxx"), error.detail());
    assertTrue(error.detail().endsWith("..."));
    assertTrue(error.detail().codePoints().noneMatch(c -> Character.getType(c) == Character.CONTROL
        || Character.getType(c) == Character.FORMAT || c == '\u2028'), error.detail());
    assertTrue(error.apiDetail().length() <= RemoteText.MAX_MESSAGE);
  }

  @Test
  void aSecretIsMaskedBeforeTheCutSoNoPartOfItSurvives() {
    String secret = "lsv2_sk_0123456789abcdef";
    String detail = "y".repeat(RemoteText.MAX_MESSAGE - 10) + secret + " trailing";
    ErrorBody error = ErrorBody.of(400, JSON, "{\"detail\":" + quote(detail) + "}", Set.of(secret));
    assertFalse(error.detail().contains("lsv2"), error.detail());
  }

  @Test
  void boundingNeverSplitsACharacter() {
    String text = "a".repeat(RemoteText.MAX_MESSAGE - 4) + "\uD83D\uDE00" + "tail";
    String out = RemoteText.bounded(text, RemoteText.MAX_MESSAGE);
    assertEquals("a".repeat(RemoteText.MAX_MESSAGE - 4) + "...", out, "the emoji is cut whole, not halved");
    assertNull(RemoteText.bounded(null, 10));
  }

  private static String quote(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aDetailThatEchoesTheRequestBodyIsLeftOutWhole() {
    String sent = "{\"name\":\"agent\",\"secrets\":[{\"name\":\"TOKEN\",\"value\":\"ab\"}]}";
    for (String detail : List.of("could not process " + sent,
        "bad secrets: [{'name': 'TOKEN', 'value': 'ab'}]",
        "secret TOKEN has the value ab, which is too short")) {
      String body = "{\"detail\":" + JsonText.quote(detail) + "}";
      ErrorBody error = ErrorBody.of(400, JSON, body, Set.of("ab"));
      assertEquals(ErrorBody.ECHO_DROPPED, error.detail(), detail);
      assertFalse(error.apiDetail().contains("ab") || error.apiDetail().contains("TOKEN"), error.apiDetail());
    }
  }

  @Test
  void aValidationMessageQuotingAShortValueIsLeftOutToo() {
    String body = "{\"detail\":[{\"loc\":[\"body\",\"secrets\",0,\"value\"],\"msg\":\"'x' is shorter than 8\","
        + "\"input\":\"x\"}]}";
    assertEquals(ErrorBody.ECHO_DROPPED, ErrorBody.of(422, JSON, body, Set.of("x")).detail());
  }

  @Test
  void plainDetailsWithoutAnEchoStay() {
    assertEquals("Deployment name already exists.",
        ErrorBody.of(400, JSON, "{\"detail\":\"Deployment name already exists.\"}", Set.of("ab", "x")).detail());
    assertEquals("Invalid value 'latest': tags must be pinned", ErrorBody.of(400, JSON,
        "{\"detail\":\"Invalid value 'latest': tags must be pinned\"}", Set.of()).detail());
  }

  /** JSON string quoting for test bodies. */
  private static final class JsonText {
    static String quote(String s) {
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

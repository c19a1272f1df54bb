package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpTransportParsingTest {
  @Test
  void fastApiValidationErrorsKeepLocationAndMessageButNeverTheInput() {
    String body = """
        {"detail":[{"loc":["body","secrets",0,"value"],"msg":"field required","type":"missing",
          "input":{"name":"TOKEN","value":"super-secret-value"}}]}""";
    String detail = HttpTransport.detail(body);
    assertEquals("body.secrets.0.value: field required", detail);
    assertFalse(detail.contains("super-secret-value"));
  }

  @Test
  void detailStringAndPlainText() {
    assertEquals("Deployment ID x not found.", HttpTransport.detail("{\"detail\":\"Deployment ID x not found.\"}"));
    assertEquals("upstream connect error", HttpTransport.detail("upstream connect error"));
    assertEquals("", HttpTransport.detail(""));
  }

  @Test
  void retryAfterInSecondsOrAsDate() {
    assertEquals(Duration.ofSeconds(3), HttpTransport.parseRetryAfter("3"));
    assertNull(HttpTransport.parseRetryAfter("soon"));
    assertNull(HttpTransport.parseRetryAfter(null));
    Duration fromDate = HttpTransport.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT");
    assertEquals(Duration.ZERO, fromDate, "a date in the past means retry now");
  }

  @Test
  void redactionMasksLongestValuesFirstAndIgnoresTinyOnes() {
    String out = Redactor.redact("key=abcd1234 and abcd1234xyz and a", Set.of("abcd1234", "abcd1234xyz", "a"));
    assertEquals("key=*** and *** and a", out);
    assertTrue(Redactor.redact(null, Set.of("x")) == null);
  }
}

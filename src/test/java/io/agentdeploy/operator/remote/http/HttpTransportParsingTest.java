package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpTransportParsingTest {
  @Test
  void retryAfterInSecondsOrAsDate() {
    assertEquals(Duration.ofSeconds(3), HttpTransport.parseRetryAfter("3"));
    assertNull(HttpTransport.parseRetryAfter("soon"));
    assertNull(HttpTransport.parseRetryAfter(null));
    Duration fromDate = HttpTransport.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT");
    assertEquals(RetryAfter.MIN, fromDate, "a date in the past means retry after the shortest pause");
  }

  @Test
  void redactionMasksLongestValuesFirstAndIgnoresTinyOnes() {
    String out = Redactor.redact("key=abcd1234 and abcd1234xyz and a", Set.of("abcd1234", "abcd1234xyz", "a"));
    assertEquals("key=*** and *** and a", out);
    assertTrue(Redactor.redact(null, Set.of("x")) == null);
  }
}

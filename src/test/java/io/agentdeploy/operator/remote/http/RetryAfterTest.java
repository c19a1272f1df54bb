package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Retry-After in every form RFC 9110 asks recipients to accept, held to the operator's bounds. */
class RetryAfterTest {
  /** Sunday, 6 November 1994, 08:49:00 UTC: RFC 9110's own example date, less 37 seconds. */
  private static final Clock NOW = Clock.fixed(Instant.parse("1994-11-06T08:49:00Z"), ZoneOffset.UTC);

  @Test
  void secondsAreTakenAsGivenWithinTheBounds() {
    assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", NOW));
    assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.parse(" 7 ", NOW));
  }

  @Test
  void zeroAndPastDatesWaitAtLeastASecondSoThereIsNoHotLoop() {
    assertEquals(Optional.of(RetryAfter.MIN), RetryAfter.parse("0", NOW));
    assertEquals(Optional.of(RetryAfter.MIN), RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT",
        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)));
  }

  @Test
  void aYearOrANumberBeyondALongIsCappedNotAnOverflow() {
    assertEquals(Optional.of(RetryAfter.MAX), RetryAfter.parse("31536000", NOW));
    assertEquals(Optional.of(RetryAfter.MAX), RetryAfter.parse("99999999999999999999999999", NOW));
    assertEquals(Optional.of(RetryAfter.MAX), RetryAfter.parse("9223372036854775807", NOW));
  }

  @Test
  void theThreeDateFormsAreRead() {
    Duration expected = Duration.ofSeconds(37);
    assertEquals(Optional.of(expected), RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW), "IMF-fixdate");
    assertEquals(Optional.of(expected), RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW), "RFC 850");
    assertEquals(Optional.of(expected), RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW), "asctime");
  }

  @Test
  void anythingElseIsNoHeader() {
    assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
    assertEquals(Optional.empty(), RetryAfter.parse("", NOW));
    assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
    assertEquals(Optional.empty(), RetryAfter.parse("-5", NOW));
    assertEquals(Optional.empty(), RetryAfter.parse("1.5", NOW));
  }
}

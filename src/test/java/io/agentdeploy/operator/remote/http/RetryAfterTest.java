package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
  private static final RetryAfter DEFAULT = RetryAfter.DEFAULT;

  @Test
  void secondsAreTakenAsGivenWithinTheBounds() {
    assertEquals(Optional.of(Duration.ofSeconds(120)), DEFAULT.parse("120", NOW));
    assertEquals(Optional.of(Duration.ofSeconds(7)), DEFAULT.parse(" 7 ", NOW));
  }

  @Test
  void zeroAndPastDatesWaitAtLeastASecondSoThereIsNoHotLoop() {
    assertEquals(Optional.of(RetryAfter.MIN), DEFAULT.parse("0", NOW));
    assertEquals(Optional.of(RetryAfter.MIN), DEFAULT.parse("Wed, 21 Oct 2015 07:28:00 GMT",
        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)));
  }

  @Test
  void aYearOrANumberBeyondALongIsCappedNotAnOverflow() {
    assertEquals(Optional.of(RetryAfter.DEFAULT_MAX), DEFAULT.parse("31536000", NOW));
    assertEquals(Optional.of(RetryAfter.DEFAULT_MAX), DEFAULT.parse("99999999999999999999999999", NOW));
    assertEquals(Optional.of(RetryAfter.DEFAULT_MAX), DEFAULT.parse("9223372036854775807", NOW));
  }

  @Test
  void theThreeDateFormsAreRead() {
    Duration expected = Duration.ofSeconds(37);
    assertEquals(Optional.of(expected), DEFAULT.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW), "IMF-fixdate");
    assertEquals(Optional.of(expected), DEFAULT.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW), "RFC 850");
    assertEquals(Optional.of(expected), DEFAULT.parse("Sun Nov  6 08:49:37 1994", NOW), "asctime");
  }

  @Test
  void anythingElseIsNoHeader() {
    assertEquals(Optional.empty(), DEFAULT.parse(null, NOW));
    assertEquals(Optional.empty(), DEFAULT.parse("", NOW));
    assertEquals(Optional.empty(), DEFAULT.parse("soon", NOW));
    assertEquals(Optional.empty(), DEFAULT.parse("-5", NOW));
    assertEquals(Optional.empty(), DEFAULT.parse("1.5", NOW));
  }

  @Test
  void theCapIsTheOperatorsSetting() {
    RetryAfter twoMinutes = new RetryAfter(Duration.ofMinutes(2));
    assertEquals(Optional.of(Duration.ofMinutes(2)), twoMinutes.parse("3600", NOW));
    assertEquals(Optional.of(Duration.ofMinutes(2)), twoMinutes.parse("99999999999999999999999999", NOW));
    assertEquals(Optional.of(Duration.ofMinutes(2)), twoMinutes.parse("Sun, 06 Nov 1994 09:49:00 GMT", NOW));
    assertEquals(Optional.of(Duration.ofSeconds(90)), twoMinutes.parse("90", NOW), "below the cap: as asked");
    assertEquals(Optional.of(RetryAfter.MIN), twoMinutes.parse("0", NOW), "the floor still holds");

    RetryAfter hour = new RetryAfter(Duration.ofHours(1));
    assertEquals(Optional.of(Duration.ofMinutes(20)), hour.parse("1200", NOW), "past the default cap when allowed");

    RetryAfter atTheFloor = new RetryAfter(RetryAfter.MIN);
    assertEquals(Optional.of(RetryAfter.MIN), atTheFloor.parse("31536000", NOW));
    assertThrows(IllegalArgumentException.class, () -> new RetryAfter(Duration.ofMillis(999)));
  }
}

package io.agentdeploy.operator.remote.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@code Retry-After} header as RFC 9110 §10.2.3 defines it (delta-seconds or an HTTP-date, in
 * any of the three date forms a recipient must accept), held to bounds the operator can live
 * with: at least {@link #MIN}, so "0" or a past date is no hot loop, and at most the cap (the
 * operator's --retry-after-max, {@link #DEFAULT_MAX} by default), so a remote asking for a year
 * (or a number too big for a long) cannot pause an account for good.
 */
public final class RetryAfter {
  /** The shortest pause a Retry-After gets; a cap below it is refused at start. */
  public static final Duration MIN = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX = Duration.ofMinutes(10);
  static final RetryAfter DEFAULT = new RetryAfter(DEFAULT_MAX);

  /** IMF-fixdate, the obsolete RFC 850 form (two-digit year), and ANSI C's asctime(). */
  private static final List<Function<String, Instant>> DATES = List.of(
      s -> ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(),
      s -> LocalDateTime.parse(s, new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
          .appendValueReduced(ChronoField.YEAR, 2, 2, 1970).appendPattern(" HH:mm:ss 'GMT'")
          .toFormatter(Locale.ENGLISH)).toInstant(ZoneOffset.UTC),
      s -> LocalDateTime.parse(s.replaceAll(" +", " "), DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy",
          Locale.ENGLISH)).toInstant(ZoneOffset.UTC));

  private final Duration max;

  /** @param max the cap, at least {@link #MIN} */
  RetryAfter(Duration max) {
    if (max.compareTo(MIN) < 0) {
      throw new IllegalArgumentException("the Retry-After cap must be at least " + MIN.toSeconds() + "s");
    }
    this.max = max;
  }

  /** The pause asked for, bounded; empty when there is no header or it is not one of the forms. */
  Optional<Duration> parse(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.strip();
    if (text.chars().allMatch(Character::isDigit)) {
      // More than 18 digits cannot be a long; any such value is past the cap anyway.
      Duration asked = text.length() > 18 ? max : Duration.ofSeconds(Long.parseLong(text));
      return Optional.of(bounded(asked));
    }
    for (Function<String, Instant> form : DATES) {
      try {
        return Optional.of(bounded(Duration.between(clock.instant(), form.apply(text))));
      } catch (DateTimeParseException | ArithmeticException notThisForm) {
        // try the next form
      }
    }
    return Optional.empty();
  }

  private Duration bounded(Duration asked) {
    return asked.compareTo(MIN) < 0 ? MIN : asked.compareTo(max) > 0 ? max : asked;
  }
}

package io.agentdeploy.operator.config;

import java.text.ParseException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * Parses durations as Kubernetes tools write them (Go's syntax): {@code 500ms}, {@code 2s},
 * {@code 1m30s}, {@code 1h}, {@code 0}; ISO-8601 ({@code PT10M}) is still accepted.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  /**
   * Whole numbers per unit, as fabric8's Go-duration parser reads them correctly. It reads
   * {@code 1.5h} as five hours and drops a minus sign, so fractions and signs are refused here with
   * the usual spelling instead of being misread.
   */
  private static final Pattern GO = Pattern.compile("([0-9]+(ns|us|µs|ms|s|m|h))+");
  private static final String HINT = " (use e.g. 500ms, 2s, 1m30s, 10m, 1h)";

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String value) {
    String v = value.trim();
    if ("0".equals(v)) {
      return Duration.ZERO;
    }
    if (GO.matcher(v).matches()) {
      try {
        return io.fabric8.kubernetes.api.model.Duration.parse(v).getDuration();
      } catch (ParseException e) {
        throw new IllegalArgumentException("not a duration: '" + value + "'" + HINT);
      }
    }
    if (v.startsWith("P") || v.startsWith("p")) {
      try {
        Duration iso = Duration.parse(v);
        if (!iso.isNegative()) {
          return iso;
        }
      } catch (DateTimeParseException e) {
        // reported below with the usual spelling
      }
    }
    throw new IllegalArgumentException("not a duration: '" + value + "'" + HINT);
  }
}

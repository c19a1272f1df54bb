package io.agentdeploy.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Go's duration syntax, as kubectl and Helm values use it, read through fabric8's parser. */
class DurationConverterTest {
  @Test
  void goDurationsAndIsoAreRead() {
    Map<String, Duration> cases = Map.ofEntries(Map.entry("1m30s", Duration.ofSeconds(90)),
        Map.entry("500ms", Duration.ofMillis(500)), Map.entry("2s", Duration.ofSeconds(2)),
        Map.entry("10m", Duration.ofMinutes(10)), Map.entry("1h", Duration.ofHours(1)),
        Map.entry("1h30m15s", Duration.ofSeconds(5415)), Map.entry("90s", Duration.ofSeconds(90)),
        Map.entry("250us", Duration.ofNanos(250_000)), Map.entry("0", Duration.ZERO),
        Map.entry(" 30s ", Duration.ofSeconds(30)), Map.entry("PT10M", Duration.ofMinutes(10)));
    cases.forEach((text, expected) -> assertEquals(expected, DurationConverter.parse(text), text));
  }

  @Test
  void whatWouldBeMisreadIsRefusedWithTheUsualSpelling() {
    // fabric8's parser alone reads "1.5h" as 5h and "-1s" as 1s; those must not get through.
    for (String text : List.of("1.5h", "-1s", "10", "", "1x", "1m 30s", "1d", "ten minutes", "PT-1M")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse(text),
          text);
      assertTrue(e.getMessage().contains("1m30s"), e.getMessage());
    }
  }
}

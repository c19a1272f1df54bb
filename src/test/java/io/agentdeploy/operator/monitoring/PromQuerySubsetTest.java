package io.agentdeploy.operator.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.agentdeploy.operator.monitoring.PromQuery.LabelMatcher;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PromQL subset the chart may use: what it reads, what it refuses, how a scrape answers it. */
class PromQuerySubsetTest {
  @Test
  void readsSelectorsSumByRateAndComparisons() {
    PromQuery q = PromQuery.parse("sum by (provider, error_type) (rate(m_total{a=\"x\", b=~\"y|z\",c!=\"\"}[5m])) > 0.05");
    assertEquals("m_total", q.selector().metric());
    assertEquals(List.of(new LabelMatcher("a", "=", "x"), new LabelMatcher("b", "=~", "y|z"),
        new LabelMatcher("c", "!=", "")), q.selector().matchers());
    assertEquals(List.of("provider", "error_type"), q.sumBy());
    assertEquals(true, q.rate());
    assertEquals(">", q.comparison());
    assertEquals(0.05, q.threshold());
    assertEquals(List.of(), PromQuery.parse("sum(up)").sumBy());
    assertEquals(null, PromQuery.parse("m == 0").sumBy());
  }

  @Test
  void refusesEverythingElse() {
    for (String outside : List.of("histogram_quantile(0.9, sum by (le) (rate(m_bucket[5m])))", "rate(m[1m])",
        "absent(m)", "m / n", "sum by (a) (m) > n", "m offset 5m", "avg(m)", "sum without (a) (m)", "m{a=b}",
        "max_over_time(m[5m])", "m > 0 and n > 0", "sum(rate(m[5m]) > 1)")) {
      assertThrows(IllegalArgumentException.class, () -> PromQuery.parse(outside), outside);
    }
  }

  @Test
  void scrapeReportsUnmatchedNamesMatchersAlternativesAndGroupingLabels() {
    Scrape scrape = new Scrape("""
        # TYPE m counter
        m{phase="Failed",provider="p"} 2.0
        m{phase="Ready",provider="p"} 1.0
        """);
    assertEquals(List.of(), scrape.unmatched(PromQuery.parse("sum by (phase) (m{phase=~\"Failed|Ready\"}) > 0")));
    assertEquals(1, scrape.unmatched(PromQuery.parse("n")).size());
    assertEquals(1, scrape.unmatched(PromQuery.parse("m{phase=\"Faild\"}")).size());
    assertEquals(1, scrape.unmatched(PromQuery.parse("m{phase=~\"Failed|Eror\"}")).size());
    assertEquals(1, scrape.unmatched(PromQuery.parse("sum by (kind) (m)")).size());
    assertEquals(0.3, scrape.evaluate(PromQuery.parse("sum by (provider) (rate(m[5m])) > 0.1"), 10)
        .get(Map.of("provider", "p")), 1e-9);
    assertEquals(Map.of(), scrape.evaluate(PromQuery.parse("sum(m{phase=\"Ready\"}) > 1"), 10));
  }
}

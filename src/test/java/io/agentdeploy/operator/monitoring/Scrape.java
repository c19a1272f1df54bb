package io.agentdeploy.operator.monitoring;

import io.agentdeploy.operator.monitoring.PromQuery.LabelMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The series of one Prometheus text-format scrape, and {@link PromQuery}s checked and evaluated on it. */
public final class Scrape {
  /** One sample: metric name, labels, value. */
  public record Series(String metric, Map<String, String> labels, double value) {
    String label(String name) {
      return labels.getOrDefault(name, "");
    }
  }

  private static final Pattern LINE = Pattern.compile("^([A-Za-z_:][A-Za-z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  /** A regex that is only alternatives of literals: each must match on its own (a typo must not hide). */
  private static final Pattern ALTERNATION = Pattern.compile("[A-Za-z0-9_+.-]+(\\|[A-Za-z0-9_+.-]+)*");

  private final List<Series> series = new ArrayList<>();

  public Scrape(String text) {
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line.strip());
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(3).replace("+Inf", "Infinity"))));
    }
  }

  public List<Series> all() {
    return series;
  }

  /**
   * What in {@code query} matches nothing in this scrape: its metric name, its matchers together,
   * each alternative of an alternation, each grouping label. Empty when everything matches.
   */
  public List<String> unmatched(PromQuery query) {
    List<String> problems = new ArrayList<>();
    String metric = query.selector().metric();
    if (series.stream().noneMatch(s -> s.metric().equals(metric))) {
      return List.of("no series named " + metric);
    }
    List<Series> selected = select(query.selector());
    if (selected.isEmpty()) {
      problems.add(metric + query.selector().matchers() + " selects no series");
    }
    for (LabelMatcher m : query.selector().matchers()) {
      if (m.op().equals("=~") && ALTERNATION.matcher(m.value()).matches()) {
        for (String alternative : m.value().split("\\|")) {
          if (series.stream().noneMatch(s -> s.metric().equals(metric) && s.label(m.label()).equals(alternative))) {
            problems.add(metric + "{" + m.label() + "=~...} alternative '" + alternative + "' matches no series");
          }
        }
      }
    }
    if (query.sumBy() != null) {
      for (String label : query.sumBy()) {
        if (selected.stream().noneMatch(s -> s.labels().containsKey(label))) {
          problems.add(metric + " has no label " + label + " to sum by");
        }
      }
    }
    return problems;
  }

  /**
   * The query's result on this scrape (non-empty: an alert would fire). A counter here has
   * counted since the operator started {@code secondsSinceStart} ago (less than 5 minutes in a
   * test), so its rate over 5m is its value divided by that time.
   */
  public Map<Map<String, String>, Double> evaluate(PromQuery query, double secondsSinceStart) {
    Map<Map<String, String>, Double> rows = new LinkedHashMap<>();
    for (Series s : select(query.selector())) {
      double v = query.rate() ? s.value() / secondsSinceStart : s.value();
      if (query.sumBy() == null) {
        rows.put(s.labels(), v);
      } else {
        Map<String, String> group = new TreeMap<>();
        query.sumBy().forEach(l -> group.put(l, s.label(l)));
        rows.merge(group, v, Double::sum);
      }
    }
    if (query.comparison() != null) {
      rows.values().removeIf(v -> !compare(v, query.comparison(), query.threshold()));
    }
    return rows;
  }

  private List<Series> select(PromQuery.Selector selector) {
    return series.stream().filter(s -> s.metric().equals(selector.metric()))
        .filter(s -> selector.matchers().stream().allMatch(m -> matches(m, s.label(m.label())))).toList();
  }

  private static boolean matches(LabelMatcher m, String value) {
    return switch (m.op()) {
      case "=" -> value.equals(m.value());
      case "!=" -> !value.equals(m.value());
      case "=~" -> value.matches(m.value());
      case "!~" -> !value.matches(m.value());
      default -> throw new IllegalArgumentException(m.op());
    };
  }

  private static boolean compare(double v, String op, double threshold) {
    return switch (op) {
      case "==" -> v == threshold;
      case "!=" -> v != threshold;
      case ">" -> v > threshold;
      case "<" -> v < threshold;
      case ">=" -> v >= threshold;
      case "<=" -> v <= threshold;
      default -> throw new IllegalArgumentException(op);
    };
  }
}

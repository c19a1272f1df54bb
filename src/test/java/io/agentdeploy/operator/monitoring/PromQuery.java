package io.agentdeploy.operator.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One expression of the PromQL subset the chart's alerts and dashboard may use, parsed:
 * {@code [sum [by (labels)] (] [rate(] selector [[5m])] [)] [comparison number]}. Anything else
 * (other functions, other windows, arithmetic, offsets, ...) is refused, so the subset stays
 * small enough for {@link Scrape} to check every name and matcher, and to evaluate.
 *
 * @param sumBy null when not aggregated, else the grouping labels (empty for a plain sum)
 * @param comparison null when none, else the operator (==, !=, >, <, >=, <=)
 */
public record PromQuery(Selector selector, boolean rate, List<String> sumBy, String comparison, double threshold) {
  /** A metric name and its label matchers. */
  public record Selector(String metric, List<LabelMatcher> matchers) {}

  /** {@code label op "value"} with op one of =, !=, =~, !~. */
  public record LabelMatcher(String label, String op, String value) {}

  private static final Pattern TOKEN = Pattern.compile(
      "\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|\\[5m\\]|\\[[^]]*\\]|[A-Za-z_:][A-Za-z0-9_:]*|[0-9]+(?:\\.[0-9]+)?|==|!=|=~|!~|>=|<=|[=><(){},])");

  public static PromQuery parse(String expression) {
    return new Parser(tokens(expression), expression).query();
  }

  private static List<String> tokens(String expression) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(expression);
    int at = 0;
    while (at < expression.length()) {
      if (!m.find(at) || m.start() != at) {
        if (expression.substring(at).isBlank()) {
          break;
        }
        throw new IllegalArgumentException("outside the allowed subset at '" + expression.substring(at) + "': "
            + expression);
      }
      out.add(m.group(1));
      at = m.end();
    }
    return out;
  }

  private static final class Parser {
    private final List<String> tokens;
    private final String source;
    private int next;

    Parser(List<String> tokens, String source) {
      this.tokens = tokens;
      this.source = source;
    }

    PromQuery query() {
      List<String> by = null;
      boolean aggregated = peek("sum");
      if (aggregated) {
        take("sum");
        by = new ArrayList<>();
        if (peek("by")) {
          take("by");
          take("(");
          by.add(identifier());
          while (peek(",")) {
            take(",");
            by.add(identifier());
          }
          take(")");
        }
        take("(");
      }
      boolean rate = peek("rate");
      if (rate) {
        take("rate");
        take("(");
      }
      Selector selector = selector();
      if (rate) {
        take("[5m]");
        take(")");
      }
      if (aggregated) {
        take(")");
      }
      String comparison = null;
      double threshold = 0;
      if (next < tokens.size()) {
        comparison = tokens.get(next++);
        if (!List.of("==", "!=", ">", "<", ">=", "<=").contains(comparison)) {
          throw refused("a comparison", comparison);
        }
        String number = tokens.get(next++);
        if (!number.matches("[0-9]+(\\.[0-9]+)?")) {
          throw refused("a number", number);
        }
        threshold = Double.parseDouble(number);
      }
      if (next != tokens.size()) {
        throw refused("the end", tokens.get(next));
      }
      return new PromQuery(selector, rate, by, comparison, threshold);
    }

    private Selector selector() {
      String metric = identifier();
      if (List.of("sum", "rate", "by").contains(metric)) {
        throw refused("a metric name", metric);
      }
      List<LabelMatcher> matchers = new ArrayList<>();
      if (peek("{")) {
        take("{");
        do {
          if (peek(",")) {
            take(",");
          }
          String label = identifier();
          String op = tokens.get(next++);
          if (!List.of("=", "!=", "=~", "!~").contains(op)) {
            throw refused("a label matcher", op);
          }
          String quoted = tokens.get(next++);
          if (!quoted.startsWith("\"")) {
            throw refused("a quoted value", quoted);
          }
          matchers.add(new LabelMatcher(label, op, quoted.substring(1, quoted.length() - 1)));
        } while (peek(","));
        take("}");
      }
      return new Selector(metric, matchers);
    }

    private String identifier() {
      String token = next < tokens.size() ? tokens.get(next) : "";
      if (!token.matches("[A-Za-z_:][A-Za-z0-9_:]*")) {
        throw refused("a name", token);
      }
      next++;
      return token;
    }

    private boolean peek(String token) {
      return next < tokens.size() && tokens.get(next).equals(token);
    }

    private void take(String token) {
      if (!peek(token)) {
        throw refused("'" + token + "'", next < tokens.size() ? tokens.get(next) : "the end");
      }
      next++;
    }

    private IllegalArgumentException refused(String expected, String found) {
      return new IllegalArgumentException("outside the allowed subset (expected " + expected + ", found '" + found
          + "'): " + source);
    }
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.NamespaceAllowList;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a ClusterControlPlane allows a namespace: by name, or by a label selector with the
 * semantics of Kubernetes' own (matchLabels and matchExpressions ANDed; {} matches everything).
 */
final class NamespaceAllowance {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern VALUE = Pattern.compile("(" + NAME.pattern() + ")?");

  private NamespaceAllowance() {}

  static boolean allows(NamespaceAllowList list, String namespace, Map<String, String> labels) {
    if (list == null) {
      return false;
    }
    if (list.getNames() != null && list.getNames().contains(namespace)) {
      return true;
    }
    return list.getSelector() != null && problem(list.getSelector()).isEmpty()
        && matches(list.getSelector(), labels == null ? Map.of() : labels);
  }

  /** What is wrong with a selector, as the API server would refuse it, or empty when valid. */
  static Optional<String> problem(LabelSelector selector) {
    if (selector == null) {
      return Optional.empty();
    }
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!validKey(e.getKey())) {
          return Optional.of("matchLabels key " + quote(e.getKey()) + " is not a valid label key");
        }
        if (e.getValue() == null || e.getValue().length() > 63 || !VALUE.matcher(e.getValue()).matches()) {
          return Optional.of("matchLabels value " + quote(e.getValue()) + " of " + e.getKey()
              + " is not a valid label value");
        }
      }
    }
    for (LabelSelectorRequirement r : expressions(selector)) {
      if (r.getKey() == null || !validKey(r.getKey())) {
        return Optional.of("matchExpressions key " + quote(r.getKey()) + " is not a valid label key");
      }
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      String op = r.getOperator() == null ? "" : r.getOperator();
      switch (op) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            return Optional.of("matchExpressions " + r.getKey() + " " + op + " needs at least one value");
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            return Optional.of("matchExpressions " + r.getKey() + " " + op + " takes no values");
          }
        }
        default -> {
          return Optional.of("matchExpressions operator " + quote(op) + " of " + r.getKey()
              + " is not one of In, NotIn, Exists, DoesNotExist");
        }
      }
      for (String v : values) {
        if (v == null || v.length() > 63 || !VALUE.matcher(v).matches()) {
          return Optional.of("matchExpressions value " + quote(v) + " of " + r.getKey()
              + " is not a valid label value");
        }
      }
    }
    return Optional.empty();
  }

  private static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement r : expressions(selector)) {
      String value = labels.get(r.getKey());
      boolean ok = switch (r.getOperator()) {
        case "In" -> value != null && r.getValues().contains(value);
        case "NotIn" -> value == null || !r.getValues().contains(value);
        case "Exists" -> value != null;
        default -> value == null;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static List<LabelSelectorRequirement> expressions(LabelSelector selector) {
    return selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
  }

  private static boolean validKey(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
        return false;
      }
    }
    return name.length() <= 63 && NAME.matcher(name).matches();
  }

  private static String quote(String s) {
    return s == null ? "(none)" : "\"" + s + "\"";
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** metav1.Condition bookkeeping: lastTransitionTime moves only when the status flips. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String SYNCED = "Synced";

  private Conditions() {}

  /** Returns a new list with {@code type} set; other conditions are kept as they are. */
  public static List<Condition> with(List<Condition> current, String type, boolean status, String reason,
      String message, Long generation, Instant now) {
    List<Condition> result = new ArrayList<>();
    String statusText = status ? "True" : "False";
    Optional<Condition> previous = find(current, type);
    String transition = previous.filter(c -> statusText.equals(c.getStatus())).map(Condition::getLastTransitionTime)
        .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    for (Condition c : current == null ? List.<Condition>of() : current) {
      if (!type.equals(c.getType())) {
        result.add(c);
      }
    }
    result.add(new Condition(type, statusText, reason, message == null ? "" : message, transition, generation));
    result.sort(java.util.Comparator.comparing(Condition::getType));
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** The reason of condition {@code type}, or null. */
  public static String reason(List<Condition> conditions, String type) {
    return find(conditions, type).map(Condition::getReason).orElse(null);
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}

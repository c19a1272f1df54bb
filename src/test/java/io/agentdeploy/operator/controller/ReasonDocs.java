package io.agentdeploy.operator.controller;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders {@link Reasons} as docs/reasons.md and as the README's condition table. */
final class ReasonDocs {
  private ReasonDocs() {}

  static String page() {
    StringBuilder out = new StringBuilder("""
        # Reasons

        Every reason the operator writes into a condition or a Kubernetes Event, generated from
        `src/main/java/io/agentdeploy/operator/controller/Reasons.java` by `ReasonCatalogueTest`
        (`./mvnw -B -ntp -o test -Dtest=ReasonCatalogueTest -Dagentdeploy.reasons.write=true`).
        *Argo CD health* is what the health checks in [`deploy/argocd/`](../deploy/argocd/) show for an
        object whose condition carries the reason (tests run both scripts against every row). Events are
        listed by `kubectl get events --field-selector involvedObject.name=NAME`; see
        [troubleshooting](troubleshooting.md). "ControlPlane" rows apply to ClusterControlPlanes too.
        A test checks that every reason the code writes is here, on the condition and with the event
        type the code uses.

        | reason | appears on | event | Argo CD health | what to do |
        |---|---|---|---|---|
        """);
    for (Reasons r : Reasons.values()) {
      out.append("| `").append(r.reason).append("` | ")
          .append(r.places.isEmpty() ? "event only" : r.places.stream().map(p -> p.label).collect(Collectors.joining(", ")))
          .append(" | ").append(event(r.event)).append(" | ").append(health(r.health)).append(" | ")
          .append(r.action).append(" |\n");
    }
    out.append("\n**Bad input.** These reasons mean a mistake in what a person wrote (the resource, or a Secret or "
        + "ConfigMap it names): nothing is sent to the control plane until it is fixed, and the message says what to "
        + "change and never a Secret value. The bad-input suite (`lifecycle/BadInputTest`) has a row for each: ")
        .append(Arrays.stream(Reasons.values()).filter(Reasons::isBadInput).map(r -> "`" + r.reason + "`")
            .collect(Collectors.joining(", "))).append(".\n");
    return out.toString();
  }

  /** The AgentDeployment condition reasons, for the README. */
  static String readmeTable() {
    return "| reason | condition | Argo CD health | what to do |\n|---|---|---|---|\n" + Arrays.stream(Reasons.values())
        .filter(r -> r.places.contains(Reasons.Place.AGENT_READY) || r.places.contains(Reasons.Place.AGENT_SYNCED))
        .map(r -> "| `" + r.reason + "` | " + r.places.stream().filter(p -> p.name().startsWith("AGENT"))
            .map(p -> p.label.substring("AgentDeployment ".length())).collect(Collectors.joining(", "))
            + " | " + health(r.health) + " | " + r.action + " |\n")
        .collect(Collectors.joining());
  }

  private static String event(Reasons.Event event) {
    return switch (event) {
      case NONE -> "";
      case NORMAL -> "Normal";
      case WARNING -> "Warning";
      case NORMAL_OR_WARNING -> "Normal or Warning";
    };
  }

  private static String health(Reasons.Health health) {
    return health == Reasons.Health.NONE ? "" : health.name().charAt(0) + health.name().substring(1).toLowerCase(Locale.ROOT);
  }
}

package io.agentdeploy.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.NamespaceAllowList;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A ClusterControlPlane's allow-list follows Kubernetes' label-selector semantics and validation. */
class NamespaceAllowanceTest {
  private static final Map<String, String> GOLD = Map.of("tier", "gold", "team", "payments");

  @Test
  void namesAndSelectorAreAlternatives() {
    NamespaceAllowList list = new NamespaceAllowList(List.of("team-a"),
        new LabelSelectorBuilder().addToMatchLabels("tier", "gold").build());
    assertTrue(NamespaceAllowance.allows(list, "team-a", Map.of()));
    assertTrue(NamespaceAllowance.allows(list, "team-b", GOLD));
    assertFalse(NamespaceAllowance.allows(list, "team-c", Map.of("tier", "silver")));
    assertFalse(NamespaceAllowance.allows(null, "team-a", GOLD), "no list allows nothing");
    assertFalse(NamespaceAllowance.allows(new NamespaceAllowList(List.of(), null), "team-a", GOLD),
        "an empty list allows nothing");
  }

  @Test
  void anEmptySelectorAllowsEveryNamespace() {
    assertTrue(NamespaceAllowance.allows(new NamespaceAllowList(List.of(), new LabelSelector()), "any", Map.of()));
  }

  @Test
  void expressionsAreAndedWithMatchLabels() {
    LabelSelector selector = new LabelSelectorBuilder().addToMatchLabels("tier", "gold")
        .addNewMatchExpression().withKey("team").withOperator("In").withValues("payments", "risk").endMatchExpression()
        .addNewMatchExpression().withKey("frozen").withOperator("DoesNotExist").endMatchExpression()
        .build();
    NamespaceAllowList list = new NamespaceAllowList(List.of(), selector);
    assertTrue(NamespaceAllowance.allows(list, "ns", GOLD));
    assertFalse(NamespaceAllowance.allows(list, "ns", Map.of("tier", "gold", "team", "search")));
    assertFalse(NamespaceAllowance.allows(list, "ns", Map.of("tier", "gold", "team", "risk", "frozen", "yes")));
    LabelSelector notIn = new LabelSelectorBuilder().addNewMatchExpression().withKey("env").withOperator("NotIn")
        .withValues("prod").endMatchExpression().addNewMatchExpression().withKey("team").withOperator("Exists")
        .endMatchExpression().build();
    assertTrue(NamespaceAllowance.allows(new NamespaceAllowList(List.of(), notIn), "ns", GOLD),
        "NotIn matches an absent label");
    assertFalse(NamespaceAllowance.allows(new NamespaceAllowList(List.of(), notIn), "ns",
        Map.of("env", "prod", "team", "x")));
  }

  @Test
  void invalidSelectorsAreNamedAndAllowNothing() {
    LabelSelector badOperator = new LabelSelectorBuilder().addNewMatchExpression().withKey("tier").withOperator("Has")
        .withValues("gold").endMatchExpression().build();
    LabelSelector inWithoutValues = new LabelSelectorBuilder().addNewMatchExpression().withKey("tier")
        .withOperator("In").endMatchExpression().build();
    LabelSelector existsWithValues = new LabelSelectorBuilder().addNewMatchExpression().withKey("tier")
        .withOperator("Exists").withValues("gold").endMatchExpression().build();
    LabelSelector badKey = new LabelSelectorBuilder().addToMatchLabels("not a key", "x").build();
    LabelSelector badValue = new LabelSelectorBuilder().addToMatchLabels("tier", "gold!").build();
    LabelSelector badPrefix = new LabelSelectorBuilder().addToMatchLabels("Example.COM/tier", "gold").build();

    assertEquals(Optional.of("matchExpressions operator \"Has\" of tier is not one of In, NotIn, Exists, "
        + "DoesNotExist"), NamespaceAllowance.problem(badOperator));
    assertEquals(Optional.of("matchExpressions tier In needs at least one value"),
        NamespaceAllowance.problem(inWithoutValues));
    assertEquals(Optional.of("matchExpressions tier Exists takes no values"), NamespaceAllowance.problem(existsWithValues));
    assertEquals(Optional.of("matchLabels key \"not a key\" is not a valid label key"), NamespaceAllowance.problem(badKey));
    assertEquals(Optional.of("matchLabels value \"gold!\" of tier is not a valid label value"),
        NamespaceAllowance.problem(badValue));
    assertTrue(NamespaceAllowance.problem(badPrefix).isPresent(), "a prefix must be a lower-case DNS subdomain");
    assertEquals(Optional.empty(), NamespaceAllowance.problem(new LabelSelectorBuilder()
        .addToMatchLabels("app.kubernetes.io/part-of", "agents").addToMatchLabels("empty", "").build()));
    assertFalse(NamespaceAllowance.allows(new NamespaceAllowList(List.of(), badOperator), "ns", GOLD));
  }
}

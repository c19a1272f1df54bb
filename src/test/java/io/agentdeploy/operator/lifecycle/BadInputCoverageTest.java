package io.agentdeploy.operator.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.controller.Reasons;
import io.agentdeploy.operator.lifecycle.BadInput.Category;
import io.agentdeploy.operator.lifecycle.BadInput.Layer;
import io.agentdeploy.operator.lifecycle.BadInput.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bad-input table covers what issue 9 asks: two rows at least per category and provider, and
 * a row for every reason the catalogue marks as bad input ({@link Reasons#isBadInput()}). Prints
 * the rows per category, layer and provider.
 */
class BadInputCoverageTest {
  private static List<Row> table() {
    return Stream.concat(CrdRows.all().stream(), OperatorRows.all().stream()).map(Row.class::cast).toList();
  }

  @Test
  void everyCategoryHasTwoRowsAtLeastForEachProvider() {
    List<String> thin = new ArrayList<>();
    for (Category category : Category.values()) {
      for (Provider provider : Provider.values()) {
        long rows = table().stream().filter(r -> r.category() == category && r.provider() == provider).count();
        if (category.required() && rows < 2) {
          thin.add(category.label + " / " + provider.wireName() + ": " + rows);
        }
      }
    }
    assertEquals(List.of(), thin, "categories with fewer than two rows");
  }

  @Test
  void everyBadInputReasonOfTheCatalogueHasAnOperatorRow() {
    Set<String> inRows = OperatorRows.all().stream().map(OperatorRow::reason).collect(Collectors.toSet());
    Set<String> missing = Arrays.stream(Reasons.values()).filter(Reasons::isBadInput).map(r -> r.reason)
        .filter(r -> !inRows.contains(r)).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), missing, "bad-input reasons no row ends with");
    Set<String> notMarked = inRows.stream().filter(r -> Reasons.of(r).map(x -> !x.isBadInput()).orElse(true))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), notMarked, "rows end with reasons the catalogue does not mark as bad input");
  }

  @Test
  void rowNamesAreUniqueAndNoneIsPartOfAnother() {
    List<String> names = OperatorRows.all().stream().map(OperatorRow::name).toList();
    List<String> clashes = names.stream().filter(a -> names.stream().anyMatch(b -> !a.equals(b) && b.contains(a)))
        .toList();
    assertEquals(names.size(), Set.copyOf(names).size(), "duplicate row names");
    assertEquals(List.of(), clashes, "a row name inside another would blur the no-request check");
  }

  @Test
  void printsTheRowsPerCategoryLayerAndProvider() {
    List<Row> table = table();
    StringBuilder out = new StringBuilder("\nBad-input rows per category\n");
    String header = String.format("%-48s %9s %9s %9s %9s %6s%n", "category", "CRD ls", "CRD ax", "op ls", "op ax",
        "total");
    out.append(header).append("-".repeat(header.length() - 1)).append('\n');
    for (Category category : Category.values()) {
      out.append(String.format("%-48s %9d %9d %9d %9d %6d%n", category.label,
          count(table, category, Layer.CRD, Provider.LANGSMITH), count(table, category, Layer.CRD, Provider.AGENTEX),
          count(table, category, Layer.OPERATOR, Provider.LANGSMITH),
          count(table, category, Layer.OPERATOR, Provider.AGENTEX),
          table.stream().filter(r -> r.category() == category).count()));
    }
    out.append(String.format("%-48s %9d %9d %9d %9d %6d%n", "all", count(table, null, Layer.CRD, Provider.LANGSMITH),
        count(table, null, Layer.CRD, Provider.AGENTEX), count(table, null, Layer.OPERATOR, Provider.LANGSMITH),
        count(table, null, Layer.OPERATOR, Provider.AGENTEX), table.size()));
    System.out.println(out);
    assertEquals(table.size(), CrdRows.all().size() + OperatorRows.all().size());
  }

  private static long count(List<Row> table, Category category, Layer layer, Provider provider) {
    return table.stream().filter(r -> (category == null || r.category() == category) && r.layer() == layer
        && r.provider() == provider).count();
  }
}

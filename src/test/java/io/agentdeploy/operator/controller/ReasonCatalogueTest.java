package io.agentdeploy.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the reason catalogue ({@link Reasons}) complete and its documents generated from it.
 * Run with {@code -Dagentdeploy.reasons.write=true} to regenerate docs/reasons.md and the README table.
 */
class ReasonCatalogueTest {
  private static final Path MAIN = Path.of("src/main/java/io/agentdeploy/operator");
  private static final Path DOC = Path.of("docs/reasons.md");
  private static final Path README = Path.of("README.md");
  private static final String BEGIN = "<!-- reasons:begin (generated from controller/Reasons.java) -->\n";
  private static final String END = "<!-- reasons:end -->\n";
  private static final Pattern CAPITALISED = Pattern.compile("\"([A-Z][a-zA-Z]+)\"");
  private static final Pattern SPEC_PROBLEM = Pattern.compile("SpecProblem\\(\\s*\"([A-Za-z]+)\"");
  private static final Pattern SYNCED_WRITE = Pattern.compile("synced\\((?:true|false),\\s*\"([A-Za-z]+)\"");
  private static final Pattern READY_WRITE = Pattern.compile("ready\\((?:true|false),\\s*\"([A-Za-z]+)\"");
  private static final Pattern NORMAL_EVENT = Pattern.compile("events\\.normal\\([^,]+,\\s*\"([A-Za-z]+)\"");
  private static final Pattern WARNING_EVENT = Pattern.compile("events\\.warning\\([^,]+,\\s*\"([A-Za-z]+)\"");
  private static final Pattern CATALOGUE_USE = Pattern.compile("Reasons\\.([A-Z_]+)\\b");

  /** Capitalised literals of the controller that are not reasons: phases, condition types, kinds, selector operators. */
  private static final Set<String> NOT_REASONS = Set.of("Pending", "Creating", "Deploying", "Ready", "Failed", "Error",
      "Synced", "True", "False", "In", "NotIn", "Exists", "DoesNotExist", "GONE", "DELETED", "SUPERSEDED", "Remote", "Secret",
      "ConfigMap", "ControlPlane", "Create", "Update", "Redeploy");

  @Test
  void everyReasonTheCodeCanEmitIsInTheCatalogue() throws IOException {
    Set<String> emitted = new TreeSet<>();
    for (Path file : sources(MAIN.resolve("controller"))) {
      if (!file.endsWith("Reasons.java")) {
        emitted.addAll(matches(CAPITALISED, Files.readString(file)));
      }
    }
    emitted.addAll(matches(CAPITALISED, Files.readString(MAIN.resolve("remote/http/BaseUrlPolicy.java"))));
    for (Path file : sources(MAIN)) {
      emitted.addAll(matches(SPEC_PROBLEM, Files.readString(file)));
    }
    emitted.removeAll(NOT_REASONS);
    Set<String> missing = emitted.stream().filter(r -> Reasons.of(r).isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), missing, "reasons the code emits that controller/Reasons.java lacks");
    assertTrue(emitted.size() > 50, "the scan found the reasons (" + emitted.size() + ")");
  }

  /** Where the code writes a literal reason, the catalogue says it appears there, with that event type. */
  @Test
  void theCatalogueSaysWhereAndHowEachLiteralReasonIsEmitted() throws IOException {
    Set<String> wrong = new TreeSet<>();
    for (Path file : sources(MAIN.resolve("controller"))) {
      String text = Files.readString(file);
      check(SYNCED_WRITE, text, r -> r.places.contains(Reasons.Place.AGENT_SYNCED), "on Synced", wrong);
      check(READY_WRITE, text, r -> r.places.contains(Reasons.Place.AGENT_READY), "on Ready", wrong);
      check(NORMAL_EVENT, text, r -> r.event == Reasons.Event.NORMAL || r.event == Reasons.Event.NORMAL_OR_WARNING,
          "a Normal event", wrong);
      check(WARNING_EVENT, text, r -> r.event == Reasons.Event.WARNING || r.event == Reasons.Event.NORMAL_OR_WARNING,
          "a Warning event", wrong);
    }
    for (String reason : matches(SPEC_PROBLEM, String.join("\n", sources(MAIN).stream().map(ReasonCatalogueTest::read)
        .toList()))) {
      // Failures writes a spec problem on Synced (and Ready) with a Warning event; the control-plane
      // checks write the base-URL and selector refusals on the ControlPlane's Ready only.
      Reasons r = Reasons.of(reason).orElseThrow();
      if (!r.places.contains(Reasons.Place.CONTROL_PLANE_READY) && (!r.places.contains(Reasons.Place.AGENT_SYNCED)
          || r.event != Reasons.Event.WARNING)) {
        wrong.add(reason + " is a spec problem: on Synced with a Warning event");
      }
    }
    assertEquals(Set.of(), wrong);
  }

  private static void check(Pattern pattern, String text, java.util.function.Predicate<Reasons> expected, String what,
      Set<String> wrong) {
    for (String reason : matches(pattern, text)) {
      if (!Reasons.of(reason).map(expected::test).orElse(false)) {
        wrong.add(reason + " is written as " + what);
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void everyCatalogueEntryIsEmittedSomewhere() throws IOException {
    Set<String> used = new TreeSet<>();
    Set<String> constants = new TreeSet<>();
    for (Path file : sources(MAIN)) {
      if (!file.endsWith("Reasons.java")) {
        String text = Files.readString(file);
        used.addAll(matches(CAPITALISED, text));
        constants.addAll(matches(CATALOGUE_USE, text));
      }
    }
    Set<String> stale = Arrays.stream(Reasons.values())
        .filter(r -> !r.reason.endsWith("*") && !used.contains(r.reason) && !constants.contains(r.name()))
        .map(r -> r.reason).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), stale, "catalogue entries no code emits");
  }

  @Test
  void docsAndReadmeAreGeneratedFromTheCatalogue() throws IOException {
    String doc = ReasonDocs.page();
    String readme = Files.readString(README);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "README.md has the generated reason table markers");
    String newReadme = readme.substring(0, begin + BEGIN.length()) + ReasonDocs.readmeTable() + readme.substring(end);
    if (Boolean.getBoolean("agentdeploy.reasons.write")) {
      Files.writeString(DOC, doc);
      Files.writeString(README, newReadme);
    }
    assertEquals(doc, Files.readString(DOC), "docs/reasons.md is stale: regenerate with -Dagentdeploy.reasons.write=true");
    assertEquals(newReadme, Files.readString(README), "README's reason table is stale: regenerate with -Dagentdeploy.reasons.write=true");
    for (Reasons r : Reasons.values()) {
      assertTrue(doc.contains("`" + r.reason + "`"), r.reason + " is documented");
    }
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static java.util.List<Path> sources(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }
}

package io.agentdeploy.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get} prints what users of built-in kinds expect, and the README shows exactly that:
 * the columns of the checked-in CRDs (ordered by the build from the model) are compared with every
 * {@code $ kubectl get ...} sample in the README, header and row alignment included.
 */
class PrinterColumnsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, String> CRD_OF = Map.of(
      "agd", "agentdeployments.agentdeploy.io-v1.yml",
      "agentdeployments", "agentdeployments.agentdeploy.io-v1.yml",
      "controlplanes", "controlplanes.agentdeploy.io-v1.yml",
      "clustercontrolplanes", "clustercontrolplanes.agentdeploy.io-v1.yml");
  private static final Pattern COMMAND = Pattern.compile("^\\$ kubectl get (\\S+)(.*)$");

  /** The header kubectl prints: NAME, then the columns in CRD order (priority > 0 only with -o wide). */
  static List<String> header(String crdFile, boolean wide, boolean allNamespaces) throws Exception {
    JsonNode crd = YAML.readTree(Path.of("crds", crdFile).toFile());
    List<String> header = new ArrayList<>();
    if (allNamespaces && "Namespaced".equals(crd.at("/spec/scope").asText())) {
      header.add("NAMESPACE");
    }
    header.add("NAME");
    for (JsonNode column : crd.at("/spec/versions/0/additionalPrinterColumns")) {
      if (wide || column.path("priority").asInt() == 0) {
        header.add(column.path("name").asText().toUpperCase(Locale.ROOT));
      }
    }
    return header;
  }

  @Test
  void defaultViewsAreTheOrderKubectlUsersExpect() throws Exception {
    assertEquals(List.of("NAME", "READY", "PHASE", "AGE"), header(CRD_OF.get("agd"), false, false));
    assertEquals(List.of("NAME", "READY", "PHASE", "AGE", "REVISION", "REVISION-STATUS", "URL"),
        header(CRD_OF.get("agd"), true, false));
    for (String kind : List.of("controlplanes", "clustercontrolplanes")) {
      assertEquals(List.of("NAME", "PROVIDER", "READY", "REASON", "AGE"), header(CRD_OF.get(kind), false, false));
      assertEquals(List.of("NAME", "PROVIDER", "READY", "REASON", "AGE", "URL"), header(CRD_OF.get(kind), true, false));
    }
  }

  @Test
  void everyKubectlGetSampleInTheReadmeMatchesTheCrds() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("README.md"));
    List<String> checked = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher command = COMMAND.matcher(lines.get(i));
      if (!command.matches() || !CRD_OF.containsKey(command.group(1)) || command.group(2).contains(" -w")) {
        continue;
      }
      String flags = command.group(2);
      boolean wide = flags.contains("-o wide");
      List<String> expected = header(CRD_OF.get(command.group(1)), wide, flags.contains(" -A"));
      String headerLine = lines.get(i + 1);
      assertEquals(expected, List.of(headerLine.trim().split("\\s+")), lines.get(i));
      List<Integer> starts = starts(headerLine);
      int rows = 0;
      for (int r = i + 2; r < lines.size() && !lines.get(r).isBlank() && !lines.get(r).startsWith("```")
          && !lines.get(r).startsWith("$"); r++) {
        // kubectl aligns every cell under its header; a sample that does not is not what kubectl prints.
        assertEquals(starts, starts(lines.get(r)), lines.get(i) + ": row '" + lines.get(r) + "'");
        rows++;
      }
      assertTrue(rows > 0, lines.get(i) + " shows no rows");
      checked.add(command.group(1) + (wide ? " -o wide" : ""));
    }
    assertTrue(checked.containsAll(List.of("agd", "agd -o wide", "controlplanes")), "README samples: " + checked);
  }

  private static List<Integer> starts(String line) {
    List<Integer> starts = new ArrayList<>();
    Matcher cell = Pattern.compile("\\S+").matcher(line);
    while (cell.find()) {
      starts.add(cell.start());
    }
    assertFalse(starts.isEmpty(), "empty line");
    return starts;
  }
}

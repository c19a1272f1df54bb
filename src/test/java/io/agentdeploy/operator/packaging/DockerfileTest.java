package io.agentdeploy.operator.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's base images: every stage that starts from a registry image starts from a build
 * argument whose default is pinned by digest, so an unchanged Dockerfile builds on the same bytes.
 */
class DockerfileTest {
  private static final Pattern ARG = Pattern.compile("^ARG\\s+(\\w+)=(\\S+)\\s*$");
  private static final Pattern FROM = Pattern.compile("^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern PINNED = Pattern.compile("^[a-z0-9./-]+:[\\w.-]+@sha256:[0-9a-f]{64}$");
  private static final Pattern ARG_REFERENCE = Pattern.compile("^\\$\\{?(\\w+)\\}?$");

  @Test
  void everyRegistryBaseImageDefaultsToADigest() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
    Map<String, String> defaults = new LinkedHashMap<>();
    Map<String, String> stageImages = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher arg = ARG.matcher(line);
      if (arg.matches()) {
        defaults.put(arg.group(1), arg.group(2));
      }
      Matcher from = FROM.matcher(line);
      if (from.find()) {
        stageImages.put(from.group(2) == null ? "(unnamed)" : from.group(2), from.group(1));
      }
    }
    List<String> stageNames = List.copyOf(stageImages.keySet());
    int registryStages = 0;
    for (Map.Entry<String, String> stage : stageImages.entrySet()) {
      String image = resolve(stage.getValue(), defaults);
      if (image.equals("scratch") || stageNames.contains(image)) {
        continue; // no registry image: scratch, or another stage of this file
      }
      registryStages++;
      assertTrue(PINNED.matcher(image).matches(),
          "stage " + stage.getKey() + " starts from " + image + ", not pinned as name:tag@sha256:<64 hex>");
    }
    // build, training and runtime: a Dockerfile that lost its FROM lines would pass vacuously
    assertTrue(registryStages >= 3, "registry stages found: " + registryStages);
  }

  private static String resolve(String image, Map<String, String> defaults) {
    Matcher ref = ARG_REFERENCE.matcher(image);
    return ref.matches() ? defaults.getOrDefault(ref.group(1), image) : image;
  }
}

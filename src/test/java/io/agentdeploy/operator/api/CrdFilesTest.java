package io.agentdeploy.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The checked-in CRDs are exactly what the fabric8 generator makes from the Java model. */
class CrdFilesTest {
  private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  /** Every checked-in copy of the CRDs. */
  static final List<Path> COPIES = List.of(Path.of("crds"), Path.of("helm/agent-deployment-operator/crds"));

  @Test
  void checkedInCrdsMatchTheGeneratedOnes() throws Exception {
    List<Path> generated;
    try (Stream<Path> files = Files.list(GENERATED)) {
      generated = files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertEquals(3, generated.size(), "generated CRDs: " + generated);
    for (Path copyDir : COPIES) {
      try (Stream<Path> files = Files.list(copyDir)) {
        assertEquals(generated.stream().map(Path::getFileName).toList(),
            files.filter(p -> p.toString().endsWith(".yml")).sorted().map(Path::getFileName).toList(),
            copyDir + " must hold exactly the generated CRD files");
      }
      for (Path file : generated) {
        Path copy = copyDir.resolve(file.getFileName());
        assertTrue(Files.exists(copy), copy + " is missing");
        assertEquals(Files.readString(file), Files.readString(copy),
            copy + " differs from the generated CRD: run ./mvnw -B package and copy "
                + "target/classes/META-INF/fabric8/*.yml to crds/ and helm/agent-deployment-operator/crds/");
      }
    }
  }
}

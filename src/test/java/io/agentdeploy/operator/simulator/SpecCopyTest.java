package io.agentdeploy.operator.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI descriptions are copied into the repository so the contract tests run from any
 * clone; where the project's shared/ folder sits beside the clone, the copies must equal it.
 */
class SpecCopyTest {
  @Test
  void checkedInSpecsEqualSharedApi() throws Exception {
    Path shared = Path.of("../shared/api");
    assumeTrue(Files.isDirectory(shared), "no ../shared/api beside this clone");
    for (String name : new String[] {"langsmith-control-plane-v2.yaml", "agentex-v5-deployments.yaml"}) {
      assertEquals(Files.readString(shared.resolve(name)),
          Files.readString(Path.of("src/test/resources/openapi").resolve(name)), name + " differs from shared/api");
    }
  }
}

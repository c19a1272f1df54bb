package io.agentdeploy.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file in examples/ loads into the fabric8 model and passes the generated CRD schema. */
class ExamplesTest {
  @Test
  void everyExampleIsValidAgainstTheGeneratedSchema() throws Exception {
    CrdSchema agd = CrdSchema.load(Path.of("crds/agentdeployments.agentdeploy.io-v1.yml"));
    CrdSchema cp = CrdSchema.load(Path.of("crds/controlplanes.agentdeploy.io-v1.yml"));
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 5, "examples: " + files);
    int agents = 0;
    int controlPlanes = 0;
    for (Path file : files) {
      for (HasMetadata object : load(file)) {
        List<String> errors = new ArrayList<>();
        if (object instanceof AgentDeployment a) {
          errors = agd.validate(a);
          agents++;
        } else if (object instanceof ControlPlane c) {
          errors = cp.validate(c);
          controlPlanes++;
        } else {
          assertTrue(object instanceof Secret, file + ": unexpected kind " + object.getKind());
        }
        assertEquals(List.of(), errors, file + " " + object.getMetadata().getName());
        assertFalse(object.getMetadata().getNamespace() == null, file + ": set a namespace");
      }
    }
    assertTrue(agents >= 3 && controlPlanes >= 2, "agents " + agents + ", control planes " + controlPlanes);
  }

  static List<HasMetadata> load(Path file) throws Exception {
    return io.agentdeploy.operator.runtime.Manifests.parse(Files.readString(file));
  }
}

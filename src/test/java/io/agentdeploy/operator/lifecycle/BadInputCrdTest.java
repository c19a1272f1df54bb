package io.agentdeploy.operator.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentdeploy.operator.api.CrdSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CRD rows of the bad-input table ({@link CrdRows}), checked against the checked-in CRDs with
 * their OpenAPI schema and CEL rules (cel-java), which the mock API server does not enforce.
 */
class BadInputCrdTest {
  private final Map<String, CrdSchema> schemas = new HashMap<>();

  private CrdSchema schema(String crd) {
    return schemas.computeIfAbsent(crd, name -> {
      try {
        return CrdSchema.load(Path.of("crds", name));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void theObjectsRowsStartFromAreValid() {
    List<String> failures = new ArrayList<>();
    CrdRows.BASES.forEach((yaml, crd) -> {
      List<String> errors = schema(crd).validate(CrdRows.object(yaml));
      if (!errors.isEmpty()) {
        failures.add(crd + ": " + errors + " for\n" + yaml);
      }
    });
    assertEquals(List.of(), failures, "a row's starting object is invalid, so its row proves nothing");
  }

  @Test
  void everyCrdRowIsRefusedWithItsViolation() {
    List<String> failures = new ArrayList<>();
    for (CrdRow row : CrdRows.all()) {
      List<String> errors = schema(row.crd()).validate(row.object(), row.old());
      if (errors.stream().noneMatch(e -> e.contains(row.violation()))) {
        failures.add(row + ": expected a violation with \"" + row.violation() + "\", got " + errors);
      }
    }
    assertEquals(List.of(), failures, "CRD rows the schema does not refuse as expected");
  }
}

package io.agentdeploy.operator.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftedValuesTest {
  private static DriftedValues values(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return new DriftedValues(map);
  }

  @Test
  void printsFieldNamesNeverValues() {
    DriftedValues v = values("source_config.install_command", "\"curl -H 'token: s3cr3t'\"");
    assertEquals("DriftedValues[source_config.install_command]", v.toString());
    assertFalse(new Observation(true, Observation.Absence.PRESENT, false, false, "id", null, v.fields(), null, null,
        null, List.of(), null, null, v).toString().contains("s3cr3t"));
  }

  @Test
  void canonicalFormIsOrderFreeAndTellsValuesAndAbsenceApart() {
    DriftedValues ab = values("a", "1", "b", "2");
    assertArrayEquals(ab.canonical(List.of("a", "b")), values("b", "2", "a", "1").canonical(List.of("b", "a")));
    assertNotEquals(new String(ab.canonical(List.of("a"))), new String(values("a", "2").canonical(List.of("a"))));
    assertNotEquals(new String(ab.canonical(List.of("c"))), new String(values("c", "").canonical(List.of("c"))));
  }
}

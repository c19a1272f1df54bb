package io.agentdeploy.operator.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentdeploy.operator.controller.Reasons;
import io.agentdeploy.operator.controller.Reasons.Health;
import io.agentdeploy.operator.controller.Reasons.Place;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs both Argo CD health scripts against a status per reason of the catalogue: each maps the
 * reason to the health docs/reasons.md gives it, and their Degraded tables hold exactly the
 * catalogue's Degraded reasons.
 */
class ReasonHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Reasons only ever written with status True. */
  private static final Set<String> POSITIVE = Set.of("Deployed", "Applied", "Connected");
  private static final Pattern TABLE_ENTRY = Pattern.compile("(\\w+) = true");

  @Test
  void theAgentDeploymentScriptGivesEachReasonTheCataloguesHealth() throws Exception {
    Map<String, String> wrong = new TreeMap<>();
    for (Reasons r : on(Place.AGENT_READY, Place.AGENT_SYNCED)) {
      ObjectNode obj = object();
      ArrayNode conditions = ((ObjectNode) obj.get("status")).putArray("conditions");
      boolean healthy = r.health == Health.HEALTHY;
      if (r.places.contains(Place.AGENT_READY)) {
        conditions.add(condition("Ready", healthy, r.reason));
      } else {
        conditions.add(healthy ? condition("Ready", true, "Deployed") : condition("Ready", false, "UpdatePending"));
      }
      if (r.places.contains(Place.AGENT_SYNCED)) {
        conditions.add(condition("Synced", POSITIVE.contains(r.reason), r.reason));
      }
      check(ArgoHealth.SCRIPT, r, obj, wrong);
    }
    assertEquals(Map.of(), wrong, "reason: catalogue health != script health");
  }

  @Test
  void theControlPlaneScriptGivesEachReasonTheCataloguesHealth() throws Exception {
    Map<String, String> wrong = new TreeMap<>();
    for (Reasons r : on(Place.CONTROL_PLANE_READY, Place.CONTROL_PLANE_DELETING)) {
      ObjectNode obj = object();
      ArrayNode conditions = ((ObjectNode) obj.get("status")).putArray("conditions");
      if (r.places.contains(Place.CONTROL_PLANE_READY)) {
        conditions.add(condition("Ready", POSITIVE.contains(r.reason), r.reason));
      } else {
        conditions.add(condition("Ready", true, "Connected"));
        conditions.add(condition("Deleting", true, r.reason));
        ((ObjectNode) obj.get("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z");
      }
      check(ArgoHealth.CONTROL_PLANE_SCRIPT, r, obj, wrong);
    }
    assertEquals(Map.of(), wrong, "reason: catalogue health != script health");
  }

  @Test
  void eachScriptsDegradedTableIsTheCataloguesDegradedReasons() throws Exception {
    assertEquals(degraded(Place.AGENT_READY, Place.AGENT_SYNCED), luaTable(ArgoHealth.SCRIPT));
    assertEquals(degraded(Place.CONTROL_PLANE_READY, Place.CONTROL_PLANE_DELETING),
        luaTable(ArgoHealth.CONTROL_PLANE_SCRIPT));
  }

  private static void check(Path script, Reasons r, ObjectNode obj, Map<String, String> wrong) throws Exception {
    String expected = r.health.name().charAt(0) + r.health.name().substring(1).toLowerCase(Locale.ROOT);
    ArgoHealth.Health got = ArgoHealth.evaluate(script, obj);
    if (!expected.equals(got.status())) {
      wrong.put(r.reason, expected + " != " + got.status() + " (" + got.message() + ")");
    }
  }

  private static Set<Reasons> on(Place... places) {
    return Arrays.stream(Reasons.values()).filter(r -> Arrays.stream(places).anyMatch(r.places::contains))
        .collect(Collectors.toSet());
  }

  private static Set<String> degraded(Place... places) {
    return on(places).stream().filter(r -> r.health == Health.DEGRADED).map(r -> r.reason)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> luaTable(Path script) throws Exception {
    String text = Files.readString(script);
    int start = text.indexOf("local needsAction = {");
    Matcher m = TABLE_ENTRY.matcher(text.substring(start, text.indexOf('}', start)));
    Set<String> found = new TreeSet<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static ObjectNode object() {
    ObjectNode obj = JSON.createObjectNode();
    obj.putObject("metadata").put("name", "x").put("generation", 1);
    obj.putObject("status").put("observedGeneration", 1).put("phase", "Pending");
    return obj;
  }

  private static JsonNode condition(String type, boolean status, String reason) {
    return JSON.createObjectNode().put("type", type).put("status", status ? "True" : "False").put("reason", reason)
        .put("message", "about " + reason).put("observedGeneration", 1);
  }
}

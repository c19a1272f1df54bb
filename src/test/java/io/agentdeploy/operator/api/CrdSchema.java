package io.agentdeploy.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates objects against a generated CRD's OpenAPI schema and CEL rules the way the API server
 * would (the fabric8 mock server enforces neither). Covers what our schemas use: type, required,
 * enum, min/max length and items, minimum/maximum, pattern, preserve-unknown-fields, and
 * x-kubernetes-validations (transition rules only on update, where the old value exists).
 */
public final class CrdSchema {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN).addVar("oldSelf", SimpleType.DYN).build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  /** One CEL rule with where it sits in the schema. */
  public record Rule(String path, String rule, String message) {}

  private final JsonNode root;

  private CrdSchema(JsonNode root) {
    this.root = root;
  }

  public static CrdSchema load(Path crdYaml) throws IOException {
    JsonNode crd = YAML.readTree(Files.readString(crdYaml));
    return new CrdSchema(crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema"));
  }

  public JsonNode schema() {
    return root;
  }

  /** Every CEL rule in the schema. */
  public List<Rule> rules() {
    List<Rule> rules = new ArrayList<>();
    collect(root, "", rules);
    return rules;
  }

  private static void collect(JsonNode schema, String path, List<Rule> out) {
    for (JsonNode v : schema.path("x-kubernetes-validations")) {
      out.add(new Rule(path.isEmpty() ? "." : path, v.path("rule").asText(), v.path("message").asText()));
    }
    schema.path("properties").fields().forEachRemaining(e -> collect(e.getValue(), path + "." + e.getKey(), out));
    if (schema.has("items")) {
      collect(schema.get("items"), path + "[]", out);
    }
  }

  /** Violations of a create. */
  public List<String> validate(Object object) {
    return validate(object, null);
  }

  /** Violations of an update from {@code old} (or a create when {@code old} is null). */
  public List<String> validate(Object object, Object old) {
    List<String> errors = new ArrayList<>();
    JsonNode value = JSON.valueToTree(object);
    JsonNode oldValue = old == null ? null : JSON.valueToTree(old);
    // metadata, apiVersion and kind are the API server's business, not the CRD schema's.
    JsonNode schema = root.deepCopy();
    check(schema.path("properties").path("spec"), value.path("spec"),
        oldValue == null ? null : oldValue.path("spec"), "spec", errors);
    return errors;
  }

  private void check(JsonNode schema, JsonNode value, JsonNode old, String path, List<String> errors) {
    if (value == null || value.isMissingNode() || schema.isMissingNode()) {
      return;
    }
    String type = schema.path("type").asText("");
    if (!type.isEmpty() && !hasType(value, type)) {
      errors.add(path + ": expected " + type + " but got " + value.getNodeType());
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode allowed : schema.get("enum")) {
        found |= allowed.equals(value);
      }
      if (!found) {
        errors.add(path + ": unsupported value " + value + ", allowed " + schema.get("enum"));
      }
    }
    if (value.isTextual()) {
      String s = value.asText();
      if (schema.has("maxLength") && s.length() > schema.get("maxLength").asInt()) {
        errors.add(path + ": longer than " + schema.get("maxLength").asInt());
      }
      if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) {
        errors.add(path + ": shorter than " + schema.get("minLength").asInt());
      }
      if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
        errors.add(path + ": does not match " + schema.get("pattern").asText());
      }
    }
    if (value.isNumber()) {
      if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
        errors.add(path + ": less than " + schema.get("minimum"));
      }
      if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
        errors.add(path + ": more than " + schema.get("maximum"));
      }
    }
    if (value.isObject()) {
      for (JsonNode required : schema.path("required")) {
        if (!value.has(required.asText()) || value.get(required.asText()).isNull()) {
          errors.add(path + "." + required.asText() + ": Required value");
        }
      }
      JsonNode props = schema.path("properties");
      boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (props.has(f.getKey())) {
          check(props.get(f.getKey()), f.getValue(), old == null ? null : old.get(f.getKey()),
              path + "." + f.getKey(), errors);
        } else if (!preserve && !props.isMissingNode() && !schema.has("additionalProperties")) {
          errors.add(path + "." + f.getKey() + ": unknown field");
        }
      }
    }
    if (value.isArray()) {
      if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
        errors.add(path + ": more than " + schema.get("maxItems").asInt() + " items");
      }
      for (int i = 0; i < value.size(); i++) {
        // Without a list-type map there is no correlation with old items: no transition rules.
        check(schema.path("items"), value.get(i), null, path + "[" + i + "]", errors);
      }
    }
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      String rule = validation.path("rule").asText();
      boolean transition = rule.contains("oldSelf");
      if (transition && (old == null || old.isMissingNode())) {
        continue;
      }
      if (!evaluate(rule, value, old)) {
        errors.add(path + ": " + validation.path("message").asText());
      }
    }
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
  }

  /** Evaluates one CEL rule with self (and oldSelf) bound to plain Java values. */
  public static boolean evaluate(String rule, JsonNode self, JsonNode oldSelf) {
    try {
      var ast = COMPILER.compile(rule).getAst();
      Map<String, Object> vars = new HashMap<>();
      vars.put("self", toCel(self));
      if (oldSelf != null) {
        vars.put("oldSelf", toCel(oldSelf));
      }
      Object result = RUNTIME.createProgram(ast).eval(vars);
      if (!(result instanceof Boolean b)) {
        throw new IllegalStateException("rule " + rule + " did not return a bool: " + result);
      }
      return b;
    } catch (dev.cel.common.CelValidationException | dev.cel.runtime.CelEvaluationException e) {
      throw new IllegalStateException("rule " + rule + " failed: " + e.getMessage(), e);
    }
  }

  private static Object toCel(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return dev.cel.common.values.NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      Map<String, Object> map = new HashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(toCel(n)));
      return list;
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    return node.asText();
  }
}

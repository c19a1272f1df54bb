package io.agentdeploy.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only: how the simulated LangSmith control plane rewrites what it stores, to exercise the
 * operator's drift comparison and drift guard. The published API says nothing about stored forms;
 * a real control plane may normalise values, and a proxy or policy may rewrite them. Set with
 * {@link LangSmithState#storeAs}; the default stores what was sent. Every form still conforms to
 * shared/api/langsmith-control-plane-v2.yaml.
 */
public enum StoredForm {
  /** Stored as sent (the default). */
  AS_SENT,
  /**
   * Equivalent spellings a control plane might store: URL hosts lower-cased with a trailing slash,
   * images with {@code docker.io/library/} and {@code :latest} filled in, branches as
   * {@code refs/heads/...}, {@code ./} before the config path, commands trimmed, CPU rounded to one
   * decimal, a default volume and a default environment variable appended, container images in
   * full and {@code imagePullPolicy} filled in. None of this is drift.
   */
  CANONICAL,
  /**
   * A rewrite no normalisation undoes: every {@code image_uri} is pulled through
   * {@value #MIRROR} (its registry replaced), as an admission policy might enforce.
   */
  MIRRORED;

  public static final String MIRROR = "mirror.example.com";
  private static final Pattern URL = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://([^/?#]+)([^?#]*)(.*)$");

  /** Rewrites a deployment's stored source_config and secrets in place. */
  void sourceConfig(ObjectNode sc, ArrayNode secrets) {
    if (this != CANONICAL) {
      return;
    }
    text(sc, "custom_url", StoredForm::url);
    text(sc, "install_command", String::trim);
    text(sc, "build_command", String::trim);
    JsonNode rs = sc.get("resource_spec");
    if (rs instanceof ObjectNode spec) {
      for (String f : names(spec)) {
        if ((f.equals("cpu") || f.endsWith("_cpu") || f.endsWith("cpu_limit")) && spec.get(f).isNumber()) {
          spec.put(f, spec.get(f).decimalValue().setScale(1, RoundingMode.HALF_UP));
        }
      }
      if (spec.get("volumes") instanceof ArrayNode volumes && !hasName(volumes, "langgraph-tmp")) {
        volumes.addObject().put("name", "langgraph-tmp").putObject("emptyDir");
      }
      for (String list : java.util.List.of("sidecars", "init_containers")) {
        if (spec.get(list) instanceof ArrayNode containers) {
          containers.forEach(c -> {
            if (c instanceof ObjectNode container) {
              text(container, "image", StoredForm::image);
              if (!container.has("imagePullPolicy") || container.get("imagePullPolicy").isNull()) {
                container.put("imagePullPolicy", "IfNotPresent");
              }
            }
          });
        }
      }
    }
    if (secrets != null && !hasName(secrets, "LANGGRAPH_RUNTIME")) {
      secrets.addObject().put("name", "LANGGRAPH_RUNTIME").put("value", "default");
    }
  }

  /** Rewrites a revision's stored source_revision_config in place. */
  void revisionConfig(ObjectNode rc) {
    if (this == CANONICAL) {
      text(rc, "image_uri", StoredForm::image);
      text(rc, "repo_ref", ref -> ref.startsWith("refs/") ? ref : "refs/heads/" + ref);
      text(rc, "langgraph_config_path", path -> path.startsWith("./") ? path : "./" + path);
    } else if (this == MIRRORED) {
      text(rc, "image_uri", image -> {
        int slash = image.indexOf('/');
        String first = slash < 0 ? "" : image.substring(0, slash);
        boolean registry = first.contains(".") || first.contains(":") || first.equals("localhost");
        return MIRROR + "/" + (registry ? image.substring(slash + 1) : image);
      });
    }
  }

  private static void text(ObjectNode node, String field, java.util.function.UnaryOperator<String> rewrite) {
    if (node.path(field).isTextual()) {
      node.put(field, rewrite.apply(node.get(field).textValue()));
    }
  }

  private static java.util.List<String> names(ObjectNode node) {
    java.util.List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static boolean hasName(ArrayNode items, String name) {
    for (JsonNode s : items) {
      if (name.equals(s.path("name").asText())) {
        return true;
      }
    }
    return false;
  }

  static String url(String value) {
    Matcher m = URL.matcher(value);
    if (!m.matches()) {
      return value;
    }
    String path = m.group(3).isEmpty() ? "/" : m.group(3);
    return m.group(1).toLowerCase(Locale.ROOT) + "://" + m.group(2).toLowerCase(Locale.ROOT) + path + m.group(4);
  }

  static String image(String value) {
    int slash = value.indexOf('/');
    String first = slash < 0 ? "" : value.substring(0, slash);
    boolean registry = first.contains(".") || first.contains(":") || first.equals("localhost");
    String full = registry ? value : "docker.io/" + (value.contains("/") ? value : "library/" + value);
    String name = full.substring(full.lastIndexOf('/') + 1);
    return name.contains(":") || name.contains("@") ? full : full + ":latest";
  }
}

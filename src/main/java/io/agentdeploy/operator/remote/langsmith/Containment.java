package io.agentdeploy.operator.remote.langsmith;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether what the remote holds contains what the spec asks for. Only what the user wrote is
 * checked, since the control plane fills in defaults:
 *
 * <ul>
 *   <li>an object contains a wanted object when every wanted key is present and contains the
 *       wanted value (extra remote keys are defaults);
 *   <li>an array contains a wanted array element by element: each wanted element is contained in
 *       the remote element at the same index, and extra remote elements at the end are not drift.
 *       The trade-off: an element added on the control plane by hand is not removed until the
 *       next spec change, which sends the whole array again;
 *   <li>scalars compare in the {@link WireForms} form their field name calls for (URLs, image
 *       references, git refs, repository paths, commands, CPU cores, quantities), numbers by
 *       value, anything else exactly.
 * </ul>
 */
final class Containment {
  /** How a scalar is compared; chosen by the name of the field that holds it. */
  enum Form {
    EXACT, URL, IMAGE, GIT_REF, REPO_PATH, COMMAND, CPU, QUANTITY,
    /** An object whose values are quantities (container resources' limits and requests). */
    QUANTITIES
  }

  private static final Map<String, Form> BY_FIELD = Map.of(
      "custom_url", Form.URL, "image_uri", Form.IMAGE, "image", Form.IMAGE, "repo_ref", Form.GIT_REF,
      "langgraph_config_path", Form.REPO_PATH, "install_command", Form.COMMAND, "build_command", Form.COMMAND,
      "limits", Form.QUANTITIES, "requests", Form.QUANTITIES);
  private static final Set<String> CPU_SUFFIXES = Set.of("cpu", "cpu_limit");

  private Containment() {}

  /** True when {@code actual} (the remote's value of {@code field}) contains {@code wanted}. */
  static boolean contains(String field, JsonNode actual, JsonNode wanted) {
    return contains(formOf(field, Form.EXACT), actual, wanted);
  }

  static Form formOf(String field, Form parent) {
    if (parent == Form.QUANTITIES) {
      return Form.QUANTITY;
    }
    Form named = BY_FIELD.get(field);
    if (named != null) {
      return named;
    }
    return CPU_SUFFIXES.stream().anyMatch(s -> field.equals(s) || field.endsWith("_" + s)) ? Form.CPU : Form.EXACT;
  }

  private static boolean contains(Form form, JsonNode actual, JsonNode wanted) {
    if (wanted.isObject()) {
      if (!actual.isObject() && !(wanted.isEmpty() && absent(actual))) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = wanted.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        if (!e.getValue().isNull() && !contains(formOf(e.getKey(), form), actual.path(e.getKey()), e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (wanted.isArray()) {
      if (!actual.isArray()) {
        return wanted.isEmpty() && absent(actual);
      }
      if (actual.size() < wanted.size()) {
        return false;
      }
      for (int i = 0; i < wanted.size(); i++) {
        // Elements keep the array's form: "image" of a container, a command's words as written.
        if (!wanted.get(i).isNull() && !contains(form == Form.QUANTITIES ? Form.EXACT : form, actual.get(i),
            wanted.get(i))) {
          return false;
        }
      }
      return true;
    }
    return scalar(form, actual, wanted);
  }

  private static boolean absent(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }

  private static boolean scalar(Form form, JsonNode actual, JsonNode wanted) {
    if (wanted.isNumber() && actual.isNumber()) {
      BigDecimal want = wanted.decimalValue();
      BigDecimal have = actual.decimalValue();
      return form == Form.CPU ? WireForms.cpu(want).compareTo(WireForms.cpu(have)) == 0 : want.compareTo(have) == 0;
    }
    if (!wanted.isTextual() || !actual.isTextual()) {
      return wanted.equals(actual);
    }
    String want = wanted.textValue();
    String have = actual.textValue();
    return switch (form) {
      case URL -> WireForms.url(want).equals(WireForms.url(have));
      case IMAGE -> WireForms.image(want).equals(WireForms.image(have));
      case GIT_REF -> WireForms.gitRef(want).equals(WireForms.gitRef(have));
      case REPO_PATH -> WireForms.repoPath(want).equals(WireForms.repoPath(have));
      case COMMAND -> WireForms.command(want).equals(WireForms.command(have));
      case QUANTITY -> sameQuantity(want, have);
      default -> want.equals(have);
    };
  }

  private static boolean sameQuantity(String want, String have) {
    Optional<BigDecimal> w = WireForms.quantity(want);
    Optional<BigDecimal> h = WireForms.quantity(have);
    return w.isPresent() && h.isPresent() ? w.get().compareTo(h.get()) == 0 : want.trim().equals(have.trim());
  }
}

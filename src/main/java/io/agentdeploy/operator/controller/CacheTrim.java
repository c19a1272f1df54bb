package io.agentdeploy.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What no informer cache of this operator keeps: the API server's {@code managedFields} and
 * kubectl's last-applied annotation. Nothing here reads either; both can outweigh the object
 * itself, and the annotation of a Secret made with {@code kubectl apply} holds its data in base64.
 */
final class CacheTrim {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private CacheTrim() {}

  /**
   * Removes both from {@code object} itself, so call it only on an object nobody else holds yet
   * (one just read from the API). Writes stay safe: status goes to the status subresource, whose
   * metadata the API server ignores (an absent managedFields keeps the stored one), and
   * finalizers go in patches computed between two trimmed copies.
   */
  static <T extends HasMetadata> T withoutBookkeeping(T object) {
    ObjectMeta meta = object.getMetadata();
    if (meta == null) {
      return object;
    }
    meta.setManagedFields(null);
    Map<String, String> annotations = meta.getAnnotations();
    if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
      // A copy: the map may be unmodifiable. Never null: JOSDK reads annotations without a check.
      Map<String, String> rest = new LinkedHashMap<>(annotations);
      rest.remove(LAST_APPLIED);
      meta.setAnnotations(rest);
    }
    return object;
  }

  /** Whether {@code object} still carries either (for tests and checks). */
  static boolean hasBookkeeping(HasMetadata object) {
    ObjectMeta meta = object.getMetadata();
    return meta != null && ((meta.getManagedFields() != null && !meta.getManagedFields().isEmpty())
        || (meta.getAnnotations() != null && meta.getAnnotations().containsKey(LAST_APPLIED)));
  }
}

package io.agentdeploy.operator.rbac;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * What the Kubernetes authorizer sees of a resource request (its "request attributes"): verb,
 * API group, resource with subresource, namespace (null for a cluster-wide request) and name (null
 * for a collection). Derived from method and path the way the API server's request-info resolver
 * does it.
 *
 * @param resource plural name, with {@code /subresource} when there is one (as RBAC rules spell it)
 */
public record RequestAttributes(String verb, String group, String resource, String namespace, String name) {

  /** The attributes of a resource request; empty for a non-resource URL (discovery, /version). */
  public static Optional<RequestAttributes> of(String method, URI uri) {
    String[] parts = Arrays.stream(uri.getPath().split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    int rest;
    String group;
    if (parts.length >= 3 && parts[0].equals("api")) {
      group = "";
      rest = 2;
    } else if (parts.length >= 4 && parts[0].equals("apis")) {
      group = parts[1];
      rest = 3;
    } else {
      return Optional.empty();
    }
    String[] r = Arrays.copyOfRange(parts, rest, parts.length);
    String namespace = null;
    if (r.length >= 3 && r[0].equals("namespaces")) {
      namespace = r[1];
      r = Arrays.copyOfRange(r, 2, r.length);
    }
    String resource = r[0];
    String name = r.length > 1 ? r[1] : null;
    if (r.length > 2) {
      resource = resource + "/" + r[2];
    }
    String query = uri.getRawQuery() == null ? "" : "&" + uri.getRawQuery() + "&";
    String verb = switch (method) {
      case "GET", "HEAD" -> name != null ? "get"
          : query.contains("&watch=true&") || query.contains("&watch=1&") ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name != null ? "delete" : "deletecollection";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    return Optional.of(new RequestAttributes(verb, group, resource, namespace, name));
  }

  @Override
  public String toString() {
    return verb + " " + (group.isEmpty() ? "" : group + "/") + resource
        + (namespace == null ? " (cluster-wide)" : " in " + namespace) + (name == null ? "" : " name " + name);
  }
}

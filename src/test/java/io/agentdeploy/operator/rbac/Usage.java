package io.agentdeploy.operator.rbac;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Recorded requests compared with granted permissions, both ways. */
public final class Usage {
  /** Requests any authenticated user may make; RBAC does not govern them. */
  private static final Set<String> SELF_REVIEWS = Set.of("selfsubjectrulesreviews", "selfsubjectaccessreviews",
      "selfsubjectreviews");

  private Usage() {}

  /** The resource requests among {@code sent}, self-subject reviews left out; a non-resource URL fails. */
  public static List<RequestAttributes> of(List<ApiRequestRecorder.Sent> sent) {
    List<RequestAttributes> out = new ArrayList<>();
    List<String> nonResource = new ArrayList<>();
    for (ApiRequestRecorder.Sent s : sent) {
      Optional<RequestAttributes> attributes = RequestAttributes.of(s.method(), s.uri());
      if (attributes.isEmpty()) {
        nonResource.add(s.method() + " " + s.uri().getPath());
      } else if (!SELF_REVIEWS.contains(attributes.get().resource())) {
        out.add(attributes.get());
      }
    }
    if (!nonResource.isEmpty()) {
      throw new AssertionError("requests to non-resource URLs, which no chart rule grants: " + nonResource);
    }
    return out;
  }

  /** Requests no grant allows (each would be a 403 in a cluster). */
  public static Set<String> denied(Collection<RequestAttributes> used, Collection<Grant> grants) {
    Set<String> out = new TreeSet<>();
    for (RequestAttributes request : used) {
      if (grants.stream().noneMatch(g -> g.allows(request))) {
        out.add(request.toString());
      }
    }
    return out;
  }

  /** Grants no request used, except those whose {@link #key} is in {@code notExercised}. */
  public static Set<String> unused(Collection<RequestAttributes> used, Collection<Grant> grants,
      Set<String> notExercised) {
    Set<String> out = new TreeSet<>();
    for (Grant grant : grants) {
      if (used.stream().noneMatch(grant::allows) && !notExercised.contains(key(grant))) {
        out.add(grant.toString());
      }
    }
    return out;
  }

  /** "verb group/resource", the granularity of an allow-list entry. */
  public static String key(Grant grant) {
    return grant.verb() + " " + (grant.group().isEmpty() ? "" : grant.group() + "/") + grant.resource();
  }
}

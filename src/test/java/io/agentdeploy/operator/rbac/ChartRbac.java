package io.agentdeploy.operator.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The permissions rendered RBAC objects give one ServiceAccount, spelled out one by one: every
 * binding naming it, every rule of the role it binds, every verb, group, resource and
 * resourceName. A wildcard is refused (it cannot be compared with what the operator does).
 */
public final class ChartRbac {
  private final Set<Grant> grants;

  private ChartRbac(Set<Grant> grants) {
    this.grants = grants;
  }

  public static ChartRbac of(List<HasMetadata> docs, String serviceAccount, String namespace) {
    Set<Grant> grants = new LinkedHashSet<>();
    for (HasMetadata doc : docs) {
      if (doc instanceof ClusterRoleBinding b && names(b.getSubjects(), serviceAccount, namespace)) {
        grants.addAll(expand(rulesOf(docs, b.getRoleRef(), null), Grant.EVERYWHERE));
      } else if (doc instanceof RoleBinding b && names(b.getSubjects(), serviceAccount, namespace)) {
        String scope = b.getMetadata().getNamespace();
        grants.addAll(expand(rulesOf(docs, b.getRoleRef(), scope), scope));
      }
    }
    return new ChartRbac(grants);
  }

  public Set<Grant> grants() {
    return grants;
  }

  public boolean allows(RequestAttributes request) {
    return grants.stream().anyMatch(g -> g.allows(request));
  }

  private static boolean names(List<Subject> subjects, String serviceAccount, String namespace) {
    return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && serviceAccount.equals(s.getName()) && namespace.equals(s.getNamespace()));
  }

  private static List<PolicyRule> rulesOf(List<HasMetadata> docs, RoleRef ref, String namespace) {
    for (HasMetadata doc : docs) {
      if ("ClusterRole".equals(ref.getKind()) && doc instanceof ClusterRole r
          && ref.getName().equals(r.getMetadata().getName())) {
        return r.getRules();
      }
      if ("Role".equals(ref.getKind()) && doc instanceof Role r && ref.getName().equals(r.getMetadata().getName())
          && Objects.equals(namespace, r.getMetadata().getNamespace())) {
        return r.getRules();
      }
    }
    throw new AssertionError("binding refers to " + ref.getKind() + " " + ref.getName() + ", which is not rendered");
  }

  private static List<Grant> expand(List<PolicyRule> rules, String scope) {
    List<Grant> out = new ArrayList<>();
    for (PolicyRule rule : rules) {
      if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
        throw new AssertionError("the operator needs no non-resource URL: " + rule);
      }
      for (List<String> list : List.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs())) {
        if (list.stream().anyMatch(s -> s.contains("*"))) {
          throw new AssertionError("wildcard in " + rule);
        }
      }
      List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
          ? java.util.Collections.singletonList(null) : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            for (String name : names) {
              out.add(new Grant(verb, group, resource, scope, name));
            }
          }
        }
      }
    }
    return out;
  }
}

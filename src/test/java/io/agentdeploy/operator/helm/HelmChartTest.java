package io.agentdeploy.operator.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.agentdeploy.operator.remote.http.BaseUrlPolicy;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart, linted and rendered by real Helm (helm-java) in every mode, each document parsed. */
class HelmChartTest {
  static final Path CHART = Path.of("helm/agent-deployment-operator");
  private static final String NS = "agent-operator";

  /** The rules the operator needs on a watched namespace; anything more is a least-privilege bug. */
  private static final List<String> WATCH_RULES = List.of(
      "agentdeploy.io|agentdeployments,controlplanes|get,list,patch,update,watch",
      "agentdeploy.io|agentdeployments/status,controlplanes/status|get,patch,update",
      "agentdeploy.io|agentdeployments/finalizers,controlplanes/finalizers|update",
      "|secrets|get,list,patch,update,watch",
      "|configmaps|get,list,watch",
      "|events|create,patch");

  static List<HasMetadata> render(UnaryOperator<com.marcnuri.helm.TemplateCommand> values) {
    String yaml = values.apply(new Helm(CHART).template().withName("ado").withNamespace(NS)).call();
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      Object parsed = Serialization.unmarshal(doc);
      out.add((HasMetadata) parsed);
    }
    return out;
  }

  static <T> List<T> ofType(List<HasMetadata> docs, Class<T> type) {
    return docs.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static List<String> rules(List<PolicyRule> rules) {
    return rules.stream().map(r -> String.join(",", r.getApiGroups()) + "|"
        + r.getResources().stream().sorted().collect(Collectors.joining(",")) + "|"
        + r.getVerbs().stream().sorted().collect(Collectors.joining(","))).sorted().toList();
  }

  private static Map<String, String> env(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void lintsStrictly() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
  }

  @Test
  void defaultsWatchAllNamespacesWithAClusterRoleAndAHardenedPod() {
    List<HasMetadata> docs = render(t -> t);
    Set<String> kinds = docs.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
    assertEquals(Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment",
        "Service"), kinds);
    assertEquals(rules(ofType(docs, ClusterRole.class).get(0).getRules()), WATCH_RULES.stream().sorted().toList());
    ClusterRoleBinding binding = ofType(docs, ClusterRoleBinding.class).get(0);
    assertEquals("ado-agent-deployment-operator", binding.getSubjects().get(0).getName());
    assertEquals(NS, binding.getSubjects().get(0).getNamespace());
    assertFalse(ofType(docs, ServiceAccount.class).get(0).getAutomountServiceAccountToken());

    Deployment d = ofType(docs, Deployment.class).get(0);
    var pod = d.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
    assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
    assertEquals("/tmp", container.getVolumeMounts().get(0).getMountPath());
    assertTrue(pod.getVolumes().get(0).getEmptyDir() != null);
    assertEquals("/healthz", container.getLivenessProbe().getHttpGet().getPath());
    assertEquals("/readyz", container.getReadinessProbe().getHttpGet().getPath());
    assertEquals("512Mi", container.getResources().getLimits().get("memory").toString());
    assertTrue(container.getResources().getRequests().containsKey("cpu"));
    Map<String, String> env = env(d);
    assertEquals("", env.get("AGENTDEPLOY_NAMESPACES"));
    assertEquals("false", env.get("AGENTDEPLOY_LEADER_ELECTION"));
    assertEquals("10m", env.get("AGENTDEPLOY_RESYNC_INTERVAL"));
    assertEquals("8080", env.get("AGENTDEPLOY_HTTP_PORT"));
    assertEquals("", env.get("AGENTDEPLOY_ALLOWED_HOSTS"), "no allow-list by default: any host over https");
    assertEquals("", env.get("AGENTDEPLOY_PLAIN_HTTP_HOSTS"));
    assertTrue(env.get("JAVA_TOOL_OPTIONS").contains("MaxRAMPercentage"));
    assertEquals("ghcr.io/acme/agent-deployment-operator:0.1.0", container.getImage());
    assertEquals(8080, ofType(docs, Service.class).get(0).getSpec().getPorts().get(0).getPort());
    assertEquals("Recreate", d.getSpec().getStrategy().getType(), "one replica never runs next to another");
  }

  @Test
  void namespacedWatchRendersRolesInEachNamespaceAndNoClusterRole() {
    List<HasMetadata> docs = render(t -> t.set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b"));
    assertTrue(ofType(docs, ClusterRole.class).isEmpty());
    assertTrue(ofType(docs, ClusterRoleBinding.class).isEmpty());
    List<Role> roles = ofType(docs, Role.class).stream().filter(r -> !isHashKeyRbac(r)).toList();
    assertEquals(Set.of("team-a", "team-b"), roles.stream().map(r -> r.getMetadata().getNamespace())
        .collect(Collectors.toSet()));
    for (Role role : roles) {
      assertEquals(WATCH_RULES.stream().sorted().toList(), rules(role.getRules()));
    }
    assertEquals(2, ofType(docs, RoleBinding.class).stream().filter(b -> !isHashKeyRbac(b)).count());
    assertEquals("team-a,team-b", env(ofType(docs, Deployment.class).get(0)).get("AGENTDEPLOY_NAMESPACES"));
  }

  @Test
  void twoReplicasGetLeaderElectionALeaseRoleAndADisruptionBudget() {
    List<HasMetadata> docs = render(t -> t.set("replicas", 2).set("podDisruptionBudget.enabled", true));
    Deployment d = ofType(docs, Deployment.class).get(0);
    assertEquals(2, d.getSpec().getReplicas());
    assertEquals("true", env(d).get("AGENTDEPLOY_LEADER_ELECTION"));
    assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
    assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
    Role lease = ofType(docs, Role.class).stream().filter(r -> r.getMetadata().getName().endsWith("leader-election"))
        .findFirst().orElseThrow();
    assertEquals(NS, lease.getMetadata().getNamespace());
    assertEquals(List.of("coordination.k8s.io|leases|create,get,update"), rules(lease.getRules()));
    assertEquals(1, ofType(docs, PodDisruptionBudget.class).get(0).getSpec().getMinAvailable().getIntVal());
    var identity = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("AGENTDEPLOY_LEASE_IDENTITY")).findFirst().orElseThrow();
    assertEquals("metadata.name", identity.getValueFrom().getFieldRef().getFieldPath());
  }

  private static boolean isHashKeyRbac(HasMetadata o) {
    return o.getMetadata().getName().endsWith("-hash-key");
  }

  @Test
  void theHashKeySecretCanBeCreatedAndOnlyItRead() {
    for (var values : List.<UnaryOperator<com.marcnuri.helm.TemplateCommand>>of(t -> t,
        t -> t.set("watchNamespaces[0]", "team-a"))) {
      List<HasMetadata> docs = render(values);
      String secret = "ado-agent-deployment-operator-hash-key";
      assertEquals(secret, env(ofType(docs, Deployment.class).get(0)).get("AGENTDEPLOY_HASH_KEY_SECRET"));
      Role role = ofType(docs, Role.class).stream().filter(HelmChartTest::isHashKeyRbac).findFirst().orElseThrow();
      assertEquals(NS, role.getMetadata().getNamespace());
      assertEquals(2, role.getRules().size());
      PolicyRule get = role.getRules().get(0);
      assertEquals(List.of("secrets"), get.getResources());
      assertEquals(List.of("get"), get.getVerbs());
      assertEquals(List.of(secret), get.getResourceNames(), "get: that one Secret only");
      PolicyRule create = role.getRules().get(1);
      assertEquals(List.of("secrets"), create.getResources());
      assertEquals(List.of("create"), create.getVerbs());
      assertTrue(create.getResourceNames() == null || create.getResourceNames().isEmpty(),
          "create cannot be limited by name");
      RoleBinding binding = ofType(docs, RoleBinding.class).stream().filter(HelmChartTest::isHashKeyRbac)
          .findFirst().orElseThrow();
      assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
      assertEquals("ado-agent-deployment-operator", binding.getSubjects().get(0).getName());
      assertEquals(NS, binding.getSubjects().get(0).getNamespace());
    }
    List<HasMetadata> named = render(t -> t.set("hashKey.secretName", "ops-hash-key"));
    assertEquals("ops-hash-key", env(ofType(named, Deployment.class).get(0)).get("AGENTDEPLOY_HASH_KEY_SECRET"));
    assertEquals(List.of("ops-hash-key"), ofType(named, Role.class).stream().filter(HelmChartTest::isHashKeyRbac)
        .findFirst().orElseThrow().getRules().get(0).getResourceNames());
  }

  @Test
  void serviceMonitorIsAGenericResourceOnlyWhenAskedFor() {
    List<HasMetadata> docs = render(t -> t.set("serviceMonitor.enabled", true).set("serviceMonitor.interval", "15s"));
    GenericKubernetesResource sm = ofType(docs, GenericKubernetesResource.class).stream()
        .filter(r -> r.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
    assertEquals("monitoring.coreos.com/v1", sm.getApiVersion());
    @SuppressWarnings("unchecked")
    var endpoints = (List<Map<String, Object>>) ((Map<String, Object>) sm.getAdditionalProperties().get("spec"))
        .get("endpoints");
    assertEquals("15s", endpoints.get(0).get("interval"));
    assertEquals("/metrics", endpoints.get(0).get("path"));
  }

  @Test
  void defaultControlPlaneAndNetworkPolicy() {
    List<HasMetadata> docs = render(t -> t.set("defaultControlPlane.enabled", true)
        .set("defaultControlPlane.apiKeySecret.name", "langsmith-key").set("defaultControlPlane.tenantId", "t-1")
        .set("networkPolicy.enabled", true));
    GenericKubernetesResource cp = ofType(docs, GenericKubernetesResource.class).stream()
        .filter(r -> r.getKind().equals("ControlPlane")).findFirst().orElseThrow();
    assertEquals("agentdeploy.io/v1alpha1", cp.getApiVersion());
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) cp.getAdditionalProperties().get("spec");
    assertEquals("https://api.host.langchain.com", spec.get("baseUrl"));
    assertEquals(Map.of("name", "langsmith-key", "key", "apiKey"), spec.get("apiKeySecretRef"));
    NetworkPolicy np = ofType(docs, NetworkPolicy.class).get(0);
    assertEquals(8080, np.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal());
    assertTrue(np.getSpec().getEgress().stream().anyMatch(e -> e.getPorts().stream()
        .anyMatch(p -> p.getPort().getIntVal() == 53)));
  }

  @Test
  void remoteHostListsBecomeTheOperatorsCommaSeparatedSettings() {
    Map<String, String> env = env(ofType(render(t -> t.set("remote.allowedHosts[0]", "api.host.langchain.com")
        .set("remote.allowedHosts[1]", "*.scale.com").set("remote.allowedHosts[2]", "[fd00::10]:8443")
        .set("remote.plainHttpHosts[0]", "simulator.sandbox.svc:8090")), Deployment.class).get(0));
    assertEquals("api.host.langchain.com,*.scale.com,[fd00::10]:8443", env.get("AGENTDEPLOY_ALLOWED_HOSTS"));
    assertEquals("simulator.sandbox.svc:8090", env.get("AGENTDEPLOY_PLAIN_HTTP_HOSTS"));
    // What the chart renders, the operator starts with.
    BaseUrlPolicy policy = BaseUrlPolicy.of(List.of(env.get("AGENTDEPLOY_ALLOWED_HOSTS").split(",")),
        List.of(env.get("AGENTDEPLOY_PLAIN_HTTP_HOSTS").split(",")));
    assertTrue(policy.check("http://simulator.sandbox.svc:8090") instanceof BaseUrlPolicy.Allowed);
    assertTrue(policy.check("https://egp.scale.com") instanceof BaseUrlPolicy.Allowed);
    assertTrue(policy.check("https://api.example.com") instanceof BaseUrlPolicy.Refused);
  }

  @Test
  void badValuesAreRejectedWithAMessageNamingTheField() {
    Map<String, UnaryOperator<com.marcnuri.helm.TemplateCommand>> bad = Map.of(
        "at '/replicas': minimum: got 0", t -> t.set("replicas", 0),
        "at '/log/format'", t -> t.set("log.format", "xml"),
        "at '/operator/resyncInterval'", t -> t.set("operator.resyncInterval", "ten minutes"),
        "at '/watchNamespaces/0'", t -> t.set("watchNamespaces[0]", "Not_A_Namespace"),
        "at '/hashKey/secretName'", t -> t.set("hashKey.secretName", "Not_A_Name"),
        "at '/defaultControlPlane/apiKeySecret/name'", t -> t.set("defaultControlPlane.enabled", true),
        "at '/replicas': minimum: got 1, want 2", t -> t.set("podDisruptionBudget.enabled", true),
        "at '/remote/allowedHosts/0'", t -> t.set("remote.allowedHosts[0]", "https://api.host.langchain.com"),
        "at '/remote/allowedHosts/1'", t -> t.set("remote.allowedHosts[0]", "ok.example.com")
            .set("remote.allowedHosts[1]", "api.*.example.com"),
        "at '/remote/plainHttpHosts/0'", t -> t.set("remote.plainHttpHosts[0]", "simulator.sandbox.svc/v2"));
    for (var e : bad.entrySet()) {
      Exception failure = assertThrows(Exception.class, () -> render(e.getValue()), e.getKey());
      assertTrue(failure.getMessage().contains(e.getKey()), e.getKey() + " not in: " + failure.getMessage());
    }
  }
}

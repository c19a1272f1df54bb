package io.agentdeploy.operator.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.agentdeploy.operator.rbac.RenderedChart;
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
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * The rules the operator needs on a watched namespace, as a readable snapshot; RbacUsageTest
   * proves they equal what the operator sends.
   */
  private static final List<String> WATCH_RULES = List.of(
      "agentdeploy.io|agentdeployments,controlplanes|get,list,patch,watch",
      "agentdeploy.io|agentdeployments/status|patch", "agentdeploy.io|controlplanes/status|update",
      "|secrets|get,list,patch,watch",
      "|configmaps|get,list,watch",
      "|events|create");
  private static final String FULLNAME = "ado-agent-deployment-operator";

  static List<HasMetadata> render(UnaryOperator<com.marcnuri.helm.TemplateCommand> values) {
    return renderRelease("ado", values);
  }

  /** Every document of the release, hooks included (see RenderedChart). */
  static List<HasMetadata> renderRelease(String release, UnaryOperator<com.marcnuri.helm.TemplateCommand> values) {
    return RenderedChart.render(release, NS, values);
  }

  static <T> List<T> ofType(List<HasMetadata> docs, Class<T> type) {
    return docs.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static List<String> rules(List<PolicyRule> rules) {
    return rules.stream().map(r -> String.join(",", r.getApiGroups()) + "|"
        + r.getResources().stream().sorted().collect(Collectors.joining(",")) + "|"
        + r.getVerbs().stream().sorted().collect(Collectors.joining(","))).sorted().toList();
  }

  /** What Helm installs and keeps (hooks are run, then deleted). */
  static List<HasMetadata> withoutHooks(List<HasMetadata> docs) {
    return docs.stream().filter(d -> !isHook(d)).toList();
  }

  static List<HasMetadata> hooks(List<HasMetadata> docs) {
    return docs.stream().filter(HelmChartTest::isHook).toList();
  }

  private static boolean isHook(HasMetadata doc) {
    return RenderedChart.isHook(doc);
  }

  private static <T extends HasMetadata> T named(List<HasMetadata> docs, Class<T> type, String name) {
    return ofType(docs, type).stream().filter(d -> name.equals(d.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
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
    List<HasMetadata> docs = withoutHooks(render(t -> t));
    Set<String> kinds = docs.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
    assertEquals(Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment",
        "Service"), kinds);
    assertEquals(rules(named(docs, ClusterRole.class, FULLNAME).getRules()), WATCH_RULES.stream().sorted().toList());
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
    assertTrue(container.getCommand().contains("-XX:MaxRAMPercentage=70"), "JVM flags on the command line");
    assertEquals("ghcr.io/acme/agent-deployment-operator:0.1.0", container.getImage());
    assertEquals(8080, ofType(docs, Service.class).get(0).getSpec().getPorts().get(0).getPort());
    assertEquals("Recreate", d.getSpec().getStrategy().getType(), "one replica never runs next to another");
  }

  @Test
  void namespacedWatchRendersRolesInEachNamespaceAndNoClusterRole() {
    List<HasMetadata> docs = withoutHooks(render(t -> t.set("watchNamespaces[0]", "team-a")
        .set("watchNamespaces[1]", "team-b").set("rbac.aggregateToDefaultRoles", false)
        .set("clusterControlPlanes.enabled", false)));
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
    // create cannot be limited by name; everything else only on this release's Lease.
    assertEquals(List.of("coordination.k8s.io|leases|create", "coordination.k8s.io|leases|get,patch,update"),
        rules(lease.getRules()));
    assertEquals(List.of(List.of(), List.of(FULLNAME)), lease.getRules().stream().map(PolicyRule::getResourceNames)
        .sorted(java.util.Comparator.comparing(List::size)).toList());
    assertEquals(FULLNAME, env(d).get("AGENTDEPLOY_LEASE_NAME"), "one Lease per release");
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
  void theLeaseIsNamedAfterTheReleaseUnlessSet() {
    Role other = named(renderRelease("other", t -> t.set("replicas", 2)), Role.class,
        "other-agent-deployment-operator-leader-election");
    assertTrue(other.getRules().stream()
        .anyMatch(r -> r.getResourceNames().equals(List.of("other-agent-deployment-operator"))),
        "a second release in the namespace gets its own Lease");
    List<HasMetadata> docs = render(t -> t.set("leaderElection.enabled", true).set("leaderElection.leaseName", "my-lease"));
    assertEquals("my-lease", env(ofType(docs, Deployment.class).get(0)).get("AGENTDEPLOY_LEASE_NAME"));
    assertTrue(ofType(docs, Role.class).stream().flatMap(r -> r.getRules().stream())
        .anyMatch(r -> r.getResourceNames().equals(List.of("my-lease"))));
  }

  @Test
  void clusterControlPlanesNeedAClusterRoleInEitherModeAndTheirKeysTheReleaseNamespace() {
    String name = FULLNAME + "-cluster-control-planes";
    List<HasMetadata> cluster = withoutHooks(render(t -> t));
    assertEquals(List.of("agentdeploy.io|clustercontrolplanes/status|update",
        "agentdeploy.io|clustercontrolplanes|get,list,patch,watch", "|namespaces|list,watch"),
        rules(named(cluster, ClusterRole.class, name).getRules()));
    assertTrue(ofType(cluster, Role.class).stream().noneMatch(r -> r.getMetadata().getName().endsWith("-keys")),
        "watching all namespaces already reads Secrets in the release namespace");
    List<HasMetadata> namespaced = withoutHooks(render(t -> t.set("watchNamespaces[0]", "team-a")));
    assertEquals(name, named(namespaced, ClusterRoleBinding.class, name).getRoleRef().getName());
    Role keys = named(namespaced, Role.class, FULLNAME + "-cluster-control-plane-keys");
    assertEquals(RenderedChart.NAMESPACE, keys.getMetadata().getNamespace());
    assertEquals(List.of("|configmaps|list,watch", "|secrets|get,list,watch"), rules(keys.getRules()));
    List<HasMetadata> disabled = withoutHooks(render(t -> t.set("clusterControlPlanes.enabled", false)));
    assertTrue(ofType(disabled, ClusterRole.class).stream().noneMatch(r -> r.getMetadata().getName().equals(name)));
  }

  @Test
  void aggregatedRolesGiveUsersAgentDeploymentsThroughEditAndControlPlanesThroughAdminOnly() {
    List<HasMetadata> docs = withoutHooks(render(t -> t));
    String aggregate = "rbac.authorization.k8s.io/aggregate-to-";
    Map<String, Set<String>> aggregatedInto = ofType(docs, ClusterRole.class).stream()
        .filter(r -> !r.getMetadata().getName().equals(FULLNAME)
            && !r.getMetadata().getName().equals(FULLNAME + "-cluster-control-planes"))
        .collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r.getMetadata().getLabels().entrySet().stream()
            .filter(l -> l.getKey().startsWith(aggregate) && l.getValue().equals("true"))
            .map(l -> l.getKey().substring(aggregate.length())).collect(Collectors.toSet())));
    assertEquals(Map.of(FULLNAME + "-view", Set.of("view", "edit", "admin"), FULLNAME + "-edit", Set.of("edit", "admin"),
        FULLNAME + "-admin", Set.of("admin")), aggregatedInto);
    assertEquals(List.of("agentdeploy.io|agentdeployments,controlplanes|get,list,watch"),
        rules(named(docs, ClusterRole.class, FULLNAME + "-view").getRules()));
    assertEquals(List.of("agentdeploy.io|agentdeployments|create,delete,deletecollection,patch,update"),
        rules(named(docs, ClusterRole.class, FULLNAME + "-edit").getRules()));
    assertEquals(List.of("agentdeploy.io|controlplanes|create,delete,deletecollection,patch,update"),
        rules(named(docs, ClusterRole.class, FULLNAME + "-admin").getRules()));
    // Bound to no one: Kubernetes folds them into view, edit and admin.
    Set<String> operatorRoles = Set.of(FULLNAME, FULLNAME + "-cluster-control-planes");
    assertTrue(ofType(docs, ClusterRoleBinding.class).stream().filter(b -> !RenderedChart.isHook(b))
        .allMatch(b -> operatorRoles.contains(b.getRoleRef().getName())));
    assertTrue(ofType(render(t -> t.set("rbac.aggregateToDefaultRoles", false)), ClusterRole.class).stream()
        .noneMatch(r -> r.getMetadata().getName().startsWith(FULLNAME + "-") && !r.getMetadata().getName()
            .contains("-preuninstall") && !operatorRoles.contains(r.getMetadata().getName())));
  }

  @Test
  void preDeleteHookRunsTheOperatorImageWithItsOwnShortLivedRbac() {
    List<HasMetadata> all = render(t -> t);
    List<HasMetadata> hooks = hooks(all);
    String name = FULLNAME + "-preuninstall";
    assertEquals(Set.of("ServiceAccount/" + name, "ClusterRole/" + name, "ClusterRoleBinding/" + name,
        "ClusterRole/" + name + "-cluster-control-planes", "ClusterRoleBinding/" + name + "-cluster-control-planes",
        "Role/" + name + "-stop", "RoleBinding/" + name + "-stop", "Job/" + name),
        hooks.stream().map(h -> h.getKind() + "/" + h.getMetadata().getName()).collect(Collectors.toSet()));
    for (HasMetadata hook : hooks) {
      Map<String, String> a = hook.getMetadata().getAnnotations();
      assertEquals("pre-delete", a.get("helm.sh/hook"), hook.getKind());
      boolean job = hook.getKind().equals("Job");
      assertEquals(job ? "0" : "-10", a.get("helm.sh/hook-weight"), "its RBAC exists before the Job runs");
      assertEquals("before-hook-creation,hook-succeeded", a.get("helm.sh/hook-delete-policy"),
          "nothing lingers after a successful uninstall; a failed Job stays for its log");
    }
    assertEquals(List.of("agentdeploy.io|agentdeployments|list", "agentdeploy.io|controlplanes|list,patch",
        "|secrets|get,patch"), rules(named(hooks, ClusterRole.class, name).getRules()));
    assertEquals(List.of("agentdeploy.io|clustercontrolplanes|list,patch"),
        rules(named(hooks, ClusterRole.class, name + "-cluster-control-planes").getRules()));
    Role stop = named(hooks, Role.class, name + "-stop");
    assertEquals(NS, stop.getMetadata().getNamespace());
    assertEquals(List.of("apps|deployments|get,patch", "|pods|list"), rules(stop.getRules()));
    assertEquals(List.of(FULLNAME), stop.getRules().get(0).getResourceNames(), "only the operator's Deployment");
    assertEquals(name, named(hooks, ClusterRoleBinding.class, name).getSubjects().get(0).getName());

    io.fabric8.kubernetes.api.model.batch.v1.Job job = named(hooks, io.fabric8.kubernetes.api.model.batch.v1.Job.class,
        name);
    Deployment operator = ofType(all, Deployment.class).get(0);
    var pod = job.getSpec().getTemplate().getSpec();
    var operatorPod = operator.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertEquals(0, job.getSpec().getBackoffLimit());
    assertEquals(name, pod.getServiceAccountName());
    assertEquals("Never", pod.getRestartPolicy());
    assertEquals(operatorPod.getContainers().get(0).getImage(), container.getImage());
    assertEquals(List.of("preuninstall"), container.getArgs());
    assertEquals(operatorPod.getSecurityContext(), pod.getSecurityContext());
    assertEquals(operatorPod.getContainers().get(0).getSecurityContext(), container.getSecurityContext());
    Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertEquals("", env.get("AGENTDEPLOY_NAMESPACES"));
    assertEquals(FULLNAME, env.get("AGENTDEPLOY_OPERATOR_DEPLOYMENT"));
    assertEquals("120s", env.get("AGENTDEPLOY_STOP_TIMEOUT"));
    Map<String, String> selector = operator.getSpec().getSelector().getMatchLabels();
    assertFalse(job.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
        "the hook's pod is not one of the operator's pods");
  }

  @Test
  void preDeleteHookFollowsWatchNamespacesAndCanBeDisabled() {
    List<HasMetadata> hooks = hooks(render(t -> t.set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b")
        .set("clusterControlPlanes.enabled", false)));
    String name = FULLNAME + "-preuninstall";
    assertTrue(ofType(hooks, ClusterRole.class).isEmpty());
    assertEquals(Set.of("team-a", "team-b", NS), ofType(hooks, Role.class).stream()
        .map(r -> r.getMetadata().getNamespace()).collect(Collectors.toSet()));
    assertEquals(List.of("agentdeploy.io|agentdeployments|list", "agentdeploy.io|controlplanes|list,patch",
        "|secrets|get,patch"), rules(ofType(hooks, Role.class).stream()
            .filter(r -> r.getMetadata().getNamespace().equals("team-a")).findFirst().orElseThrow().getRules()));
    var job = named(hooks, io.fabric8.kubernetes.api.model.batch.v1.Job.class, name);
    assertEquals("team-a,team-b", job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("AGENTDEPLOY_NAMESPACES")).findFirst().orElseThrow().getValue());
    assertTrue(hooks(render(t -> t.set("preUninstallHook.enabled", false))).isEmpty());
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
    Map<String, UnaryOperator<com.marcnuri.helm.TemplateCommand>> bad = Map.ofEntries(
        Map.entry("at '/replicas': minimum: got 0", t -> t.set("replicas", 0)),
        Map.entry("at '/log/format'", t -> t.set("log.format", "xml")),
        Map.entry("at '/operator/resyncInterval'", t -> t.set("operator.resyncInterval", "ten minutes")),
        Map.entry("at '/watchNamespaces/0'", t -> t.set("watchNamespaces[0]", "Not_A_Namespace")),
        Map.entry("at '/hashKey/secretName'", t -> t.set("hashKey.secretName", "Not_A_Name")),
        Map.entry("at '/defaultControlPlane/apiKeySecret/name'", t -> t.set("defaultControlPlane.enabled", true)),
        Map.entry("at '/replicas': minimum: got 1, want 2", t -> t.set("podDisruptionBudget.enabled", true)),
        Map.entry("at '/remote/allowedHosts/0'", t -> t.set("remote.allowedHosts[0]", "https://api.host.langchain.com")),
        Map.entry("at '/remote/allowedHosts/1'", t -> t.set("remote.allowedHosts[0]", "ok.example.com")
            .set("remote.allowedHosts[1]", "api.*.example.com")),
        Map.entry("at '/remote/plainHttpHosts/0'", t -> t.set("remote.plainHttpHosts[0]", "simulator.sandbox.svc/v2")),
        Map.entry("at '/preUninstallHook/stopTimeout'", t -> t.set("preUninstallHook.stopTimeout", "two minutes")));
    for (var e : bad.entrySet()) {
      Exception failure = assertThrows(Exception.class, () -> render(e.getValue()), e.getKey());
      assertTrue(failure.getMessage().contains(e.getKey()), e.getKey() + " not in: " + failure.getMessage());
    }
  }

  // --- Chart conventions: strict values, kubeVersion, overrides, JVM flags, probes ---------------

  @Test
  void unknownValuesAreRefusedAtEveryLevel() {
    Map<String, UnaryOperator<com.marcnuri.helm.TemplateCommand>> typos = Map.of(
        "replicaCount", t -> t.set("replicaCount", 3),
        "tg", t -> t.set("image.tg", "1.0"),
        "periodSecond", t -> t.set("probes.startup.periodSecond", 5),
        "requestTimout", t -> t.set("operator.requestTimout", "10s"),
        "enable", t -> t.set("serviceMonitor.enable", true));
    for (var e : typos.entrySet()) {
      Exception failure = assertThrows(Exception.class, () -> render(e.getValue()), e.getKey());
      assertTrue(failure.getMessage().contains("additional properties") && failure.getMessage().contains(e.getKey()),
          e.getKey() + " not named in: " + failure.getMessage());
    }
  }

  @Test
  void kubernetesOlderThan125IsRefused() {
    Exception failure = assertThrows(Exception.class, () -> render(t -> t.withKubeVersion("1.24.9")));
    assertTrue(failure.getMessage().contains(">=1.25.0-0"), failure.getMessage());
    assertFalse(render(t -> t.withKubeVersion("1.25.0-gke.100")).isEmpty(), "pre-release suffixes of 1.25 pass");
  }

  @Test
  void jvmFlagsGoOnTheCommandLineAndNoJavaOptionsVariableIsSet() throws Exception {
    List<HasMetadata> docs = render(t -> t);
    List<io.fabric8.kubernetes.api.model.Container> containers = Stream.concat(
        ofType(docs, Deployment.class).stream().map(d -> d.getSpec().getTemplate().getSpec()),
        ofType(docs, io.fabric8.kubernetes.api.model.batch.v1.Job.class).stream()
            .map(j -> j.getSpec().getTemplate().getSpec()))
        .flatMap(pod -> pod.getContainers().stream()).toList();
    assertEquals(2, containers.size(), "the operator and the pre-delete hook");
    for (var c : containers) {
      // JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS: each collides with a user's extraEnv entry
      // and makes the JVM print a non-JSON "Picked up ..." line.
      assertTrue(c.getEnv().stream().noneMatch(v -> v.getName().endsWith("JAVA_OPTIONS")
          || v.getName().equals("JAVA_TOOL_OPTIONS")), c.getName() + ": " + c.getEnv());
      assertEquals("java", c.getCommand().get(0));
      // The image's start-up archive is read through the options file its training wrote: the
      // chart passes the same file the image's own entrypoint does, whatever the image's JVM.
      assertTrue(c.getCommand().containsAll(imageArgFiles()), c.getName() + " reads " + imageArgFiles()
          + ": " + c.getCommand());
    }

    var command = ofType(render(t -> t.set("jvmArgs[0]", "-XX:MaxRAMPercentage=60").set("jvmArgs[1]", "-Xss512k")),
        Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getCommand();
    int chartFlag = command.indexOf("-XX:MaxRAMPercentage=70");
    int userFlag = command.indexOf("-XX:MaxRAMPercentage=60");
    int jar = command.indexOf("-jar");
    assertTrue(chartFlag < userFlag && userFlag < command.indexOf("-Xss512k") && command.indexOf("-Xss512k") < jar,
        "jvmArgs come after the chart's flags (so they win) and before -jar: " + command);
    assertThrows(Exception.class, () -> render(t -> t.set("jvmArgs[0]", "run")), "a JVM flag starts with -");
  }

  /** The {@code @file} arguments of the Dockerfile's ENTRYPOINT (the image's JVM options files). */
  private static List<String> imageArgFiles() throws java.io.IOException {
    String entrypoint = java.nio.file.Files.readAllLines(java.nio.file.Path.of("Dockerfile")).stream()
        .filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    List<String> args = List.of(new com.fasterxml.jackson.databind.ObjectMapper()
        .readValue(entrypoint.substring("ENTRYPOINT ".length()), String[].class));
    List<String> files = args.stream().filter(a -> a.startsWith("@")).toList();
    assertFalse(files.isEmpty(), "the image's entrypoint reads its JVM options file: " + args);
    return files;
  }

  @Test
  void extraEnvMayAddJavaToolOptionsOnceButNotRepeatTheChartsOwnVariables() {
    var env = ofType(render(t -> t.set("extraEnv[0].name", "JAVA_TOOL_OPTIONS").set("extraEnv[0].value", "-Dx=1")),
        Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertEquals(1, env.stream().filter(v -> v.getName().equals("JAVA_TOOL_OPTIONS")).count());
    assertEquals(env.size(), env.stream().map(EnvVar::getName).distinct().count(), "no duplicate env key");
    Exception failure = assertThrows(Exception.class,
        () -> render(t -> t.set("extraEnv[0].name", "AGENTDEPLOY_HTTP_PORT").set("extraEnv[0].value", "9090")));
    assertTrue(failure.getMessage().contains("at '/extraEnv/0/name'"), failure.getMessage());
  }

  @Test
  void imageDigestTopologySpreadAndSecurityContextsCanBeOverridden() {
    String digest = "sha256:" + "a1".repeat(32);
    var pod = ofType(render(t -> t.set("image.digest", digest).set("image.tag", "ignored")
        .set("topologySpreadConstraints[0].maxSkew", 1)
        .set("topologySpreadConstraints[0].topologyKey", "topology.kubernetes.io/zone")
        .set("topologySpreadConstraints[0].whenUnsatisfiable", "ScheduleAnyway")
        // OpenShift's restricted SCC assigns the UID, GID and fsGroup itself.
        .set("podSecurityContext.runAsUser", "null").set("podSecurityContext.runAsGroup", "null")
        .set("podSecurityContext.fsGroup", "null")
        .set("containerSecurityContext.readOnlyRootFilesystem", false)), Deployment.class)
        .get(0).getSpec().getTemplate().getSpec();
    assertEquals("ghcr.io/acme/agent-deployment-operator@" + digest, pod.getContainers().get(0).getImage());
    assertEquals("topology.kubernetes.io/zone", pod.getTopologySpreadConstraints().get(0).getTopologyKey());
    assertEquals(null, pod.getSecurityContext().getRunAsUser());
    assertEquals(null, pod.getSecurityContext().getFsGroup());
    assertTrue(pod.getSecurityContext().getRunAsNonRoot(), "the rest of the hardening stays");
    assertFalse(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem());
    assertEquals(List.of("ALL"), pod.getContainers().get(0).getSecurityContext().getCapabilities().getDrop());
    assertThrows(Exception.class, () -> render(t -> t.set("image.digest", "latest")));
  }

  @Test
  void probesAreTunableAndStartupOnlyWaitsForTheProcess() {
    var container = ofType(render(t -> t.set("probes.startup.failureThreshold", 90)
        .set("probes.readiness.periodSeconds", 15).set("probes.liveness.timeoutSeconds", 5)), Deployment.class)
        .get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(90, container.getStartupProbe().getFailureThreshold());
    assertEquals(2, container.getStartupProbe().getPeriodSeconds(), "unset fields keep their defaults");
    assertEquals(15, container.getReadinessProbe().getPeriodSeconds());
    assertEquals(5, container.getLivenessProbe().getTimeoutSeconds());
    // /healthz answers before the informers sync, so a slow sync never fails the startup probe.
    assertEquals("/healthz", container.getStartupProbe().getHttpGet().getPath());
    assertEquals("/readyz", container.getReadinessProbe().getHttpGet().getPath());
  }
}

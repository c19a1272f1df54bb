package io.agentdeploy.operator.helm;

import static io.agentdeploy.operator.helm.HelmChartTest.ofType;
import static io.agentdeploy.operator.helm.HelmChartTest.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.remote.http.ProxySettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart's network settings (NetworkPolicy, Cilium, proxy variables, extra volumes) as real Helm renders them. */
class NetworkChartTest {

  @Test
  void theDefaultPolicyAllowsDnsTheApiServerAndHttpsToAnyControlPlane() {
    NetworkPolicy np = policy(render(t -> t.set("networkPolicy.enabled", true)));
    List<NetworkPolicyEgressRule> egress = np.getSpec().getEgress();
    assertEquals(List.of(53, 53), ports(egress.get(0)));
    assertEquals(List.of("0.0.0.0/0"), cidrs(egress.get(1)));
    assertEquals(List.of(443, 6443), ports(egress.get(1)));
    assertTrue(egress.get(2).getTo() == null || egress.get(2).getTo().isEmpty(), "any destination");
    assertEquals(List.of(443), ports(egress.get(2)));
    assertEquals(3, egress.size());
  }

  @Test
  void portsCidrsOfBothFamiliesAndExtraEgressAreRendered() {
    NetworkPolicy np = policy(render(t -> t.set("networkPolicy.enabled", true)
        .set("networkPolicy.apiServerCidrs[0]", "10.0.0.1/32").set("networkPolicy.apiServerCidrs[1]", "fd00::1/128")
        .set("networkPolicy.apiServerPorts[0]", 16443)
        .set("networkPolicy.controlPlanePorts[0]", 443).set("networkPolicy.controlPlanePorts[1]", 8443)
        .set("networkPolicy.controlPlaneCidrs[0]", "192.168.10.0/24")
        .set("networkPolicy.controlPlaneCidrs[1]", "2001:db8::/32")
        .set("networkPolicy.extraEgress[0].ports[0].port", 3128)
        .set("networkPolicy.extraEgress[0].ports[0].protocol", "TCP")));
    List<NetworkPolicyEgressRule> egress = np.getSpec().getEgress();
    assertEquals(List.of("10.0.0.1/32", "fd00::1/128"), cidrs(egress.get(1)));
    assertEquals(List.of(16443), ports(egress.get(1)));
    assertEquals(List.of("192.168.10.0/24", "2001:db8::/32"), cidrs(egress.get(2)));
    assertEquals(List.of(443, 8443), ports(egress.get(2)));
    assertEquals(List.of(3128), ports(egress.get(3)), "the extra egress rule, as given");
  }

  @Test
  void aMalformedCidrOrPortIsRefusedByTheValuesSchema() {
    assertThrows(Exception.class, () -> render(t -> t.set("networkPolicy.apiServerCidrs[0]", "10.0.0.1")));
    assertThrows(Exception.class, () -> render(t -> t.set("networkPolicy.controlPlanePorts[0]", 70000)));
    assertThrows(Exception.class, () -> render(t -> t.set("networkPolicy.apiServerCidr", "10.0.0.0/8")),
        "the old single-CIDR key is gone; the schema says so rather than ignoring it");
  }

  @Test
  void ciliumGetsThePolicyItCanMatchTheApiServerWith() {
    List<HasMetadata> docs = render(t -> t.set("networkPolicy.enabled", true).set("networkPolicy.cilium.enabled", true)
        .set("networkPolicy.apiServerPorts[0]", 443));
    GenericKubernetesResource cnp = ofType(docs, GenericKubernetesResource.class).stream()
        .filter(r -> r.getKind().equals("CiliumNetworkPolicy")).findFirst().orElseThrow();
    assertEquals("cilium.io/v2", cnp.getApiVersion());
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) cnp.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> rule = ((List<Map<String, Object>>) spec.get("egress")).get(0);
    assertEquals(List.of("kube-apiserver"), rule.get("toEntities"));
    assertEquals(List.of(Map.of("ports", List.of(Map.of("port", "443", "protocol", "TCP")))), rule.get("toPorts"));
    assertEquals(Map.of("matchLabels", policy(docs).getSpec().getPodSelector().getMatchLabels()),
        spec.get("endpointSelector"), "the same pods as the NetworkPolicy");
    assertTrue(ofType(render(t -> t.set("networkPolicy.enabled", true)), GenericKubernetesResource.class).stream()
        .noneMatch(r -> r.getKind().equals("CiliumNetworkPolicy")), "only when asked for");
  }

  @Test
  void proxyValuesBecomeTheStandardVariablesOnlyWhenSet() {
    Map<String, String> env = env(render(t -> t.set("proxy.httpsProxy", "http://user:pass@proxy.corp:3128")
        .set("proxy.noProxy", ".svc,10.0.0.0/8")));
    assertEquals("http://user:pass@proxy.corp:3128", env.get("HTTPS_PROXY"));
    assertEquals(".svc,10.0.0.0/8", env.get("NO_PROXY"));
    assertTrue(!env.containsKey("HTTP_PROXY"), "an empty value renders nothing: " + env.keySet());
    assertTrue(env(render(t -> t)).keySet().stream().noneMatch(k -> k.endsWith("_PROXY")));
    Exception both = assertThrows(Exception.class, () -> render(t -> t.set("proxy.httpsProxy", "http://p:3128")
        .set("extraEnv[0].name", "HTTPS_PROXY").set("extraEnv[0].value", "http://q:3128")));
    assertTrue(both.getMessage().contains("set it in one place"), both.getMessage());
    assertThrows(Exception.class, () -> render(t -> t.set("proxy.httpsProxy", "proxy.corp:3128")),
        "a proxy is a URL with a scheme");
  }

  @Test
  void anHttpsProxyIsRefusedByTheSchemaAsTheOperatorWouldRefuseItAtStart() {
    // The operator stops at start on an https:// proxy (ProxySettings): the chart says so at install instead.
    for (String key : List.of("proxy.httpsProxy", "proxy.httpProxy")) {
      Exception refused = assertThrows(Exception.class, () -> render(t -> t.set(key, "https://proxy.corp:3128")));
      assertTrue(refused.getMessage().contains(key.substring("proxy.".length())), refused.getMessage());
      assertThrows(Exception.class, () -> render(t -> t.set(key, "https://user:pass@proxy.corp:3128")));
    }
    assertEquals("http://proxy.corp:3128/", env(render(t -> t.set("proxy.httpProxy", "http://proxy.corp:3128/")))
        .get("HTTP_PROXY"), "http:// is accepted");
    // What the schema lets through, the operator starts with.
    for (String url : List.of("http://proxy.corp:3128", "http://svc:p%40ss@proxy.corp:3128", "https://proxy.corp:3128",
        "socks5://proxy.corp:1080", "http://[fd00::3]:3128")) {
      boolean schemaAccepts = accepts(() -> render(t -> t.set("proxy.httpsProxy", url)));
      boolean operatorAccepts = accepts(() -> ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", url)));
      assertTrue(!schemaAccepts || operatorAccepts, url + ": the schema accepts what the operator would refuse at start");
    }
  }

  private static boolean accepts(Runnable action) {
    try {
      action.run();
      return true;
    } catch (RuntimeException refused) {
      return false;
    }
  }

  @Test
  void proxyUrlsWithCredentialsMayComeFromASecret() {
    List<HasMetadata> docs = render(t -> t.set("proxy.existingSecret", "corp-proxy").set("proxy.noProxy", ".svc"));
    Map<String, EnvVar> vars = envVars(docs);
    assertEquals(new SecretKeySelector("HTTPS_PROXY", "corp-proxy", null),
        vars.get("HTTPS_PROXY").getValueFrom().getSecretKeyRef(), "the default key, named after the variable");
    assertEquals(null, vars.get("HTTPS_PROXY").getValue(), "no literal value beside the reference");
    assertTrue(!vars.containsKey("HTTP_PROXY"), "an empty key name leaves the variable out: " + vars.keySet());
    assertEquals(".svc", vars.get("NO_PROXY").getValue(), "NO_PROXY holds no secret: still a value");
    assertTrue(ofType(docs, io.fabric8.kubernetes.api.model.Secret.class).stream()
        .noneMatch(s -> s.getMetadata().getName().equals("corp-proxy")), "the chart does not create it");

    Map<String, EnvVar> both = envVars(render(t -> t.set("proxy.existingSecret", "corp-proxy")
        .set("proxy.existingSecretKeys.httpsProxy", "https-url").set("proxy.existingSecretKeys.httpProxy", "http-url")));
    assertEquals("https-url", both.get("HTTPS_PROXY").getValueFrom().getSecretKeyRef().getKey());
    assertEquals("http-url", both.get("HTTP_PROXY").getValueFrom().getSecretKeyRef().getKey());
    assertEquals("corp-proxy", both.get("HTTP_PROXY").getValueFrom().getSecretKeyRef().getName());

    Map<String, EnvVar> mixed = envVars(render(t -> t.set("proxy.existingSecret", "corp-proxy")
        .set("proxy.httpProxy", "http://sandbox-proxy:3128")));
    assertEquals("corp-proxy", mixed.get("HTTPS_PROXY").getValueFrom().getSecretKeyRef().getName());
    assertEquals("http://sandbox-proxy:3128", mixed.get("HTTP_PROXY").getValue(), "one from the Secret, one as a value");
  }

  @Test
  void aProxyVariableSetTwiceOrASecretWithoutKeysIsRefused() {
    Exception twice = assertThrows(Exception.class, () -> render(t -> t.set("proxy.existingSecret", "corp-proxy")
        .set("proxy.httpsProxy", "http://p:3128")));
    assertTrue(twice.getMessage().contains("proxy.httpsProxy and proxy.existingSecret both set HTTPS_PROXY"),
        twice.getMessage());
    Exception noKey = assertThrows(Exception.class, () -> render(t -> t.set("proxy.existingSecret", "corp-proxy")
        .set("proxy.existingSecretKeys.httpsProxy", "")));
    assertTrue(noKey.getMessage().contains("names no key"), noKey.getMessage());
    Exception extra = assertThrows(Exception.class, () -> render(t -> t.set("proxy.existingSecret", "corp-proxy")
        .set("extraEnv[0].name", "https_proxy").set("extraEnv[0].value", "http://q:3128")));
    assertTrue(extra.getMessage().contains("set it in one place"), extra.getMessage());
    assertThrows(Exception.class, () -> render(t -> t.set("proxy.existingSecret", "Corp_Proxy")),
        "a Secret name the API server would refuse");
  }

  @Test
  void extraVolumesAreMountedBesideTheChartsOwn() {
    PodSpec pod = ofType(render(t -> t.set("extraVolumes[0].name", "corp-ca")
        .set("extraVolumes[0].configMap.name", "corp-ca-bundle")
        .set("extraVolumeMounts[0].name", "corp-ca").set("extraVolumeMounts[0].mountPath", "/etc/corp-ca")
        .set("extraVolumeMounts[0].readOnly", true)), Deployment.class).get(0).getSpec().getTemplate().getSpec();
    assertEquals(List.of("tmp", "corp-ca"), pod.getVolumes().stream().map(v -> v.getName()).toList());
    assertEquals("corp-ca-bundle", pod.getVolumes().get(1).getConfigMap().getName());
    assertEquals(List.of("/tmp", "/etc/corp-ca"),
        pod.getContainers().get(0).getVolumeMounts().stream().map(m -> m.getMountPath()).toList());
  }

  private static NetworkPolicy policy(List<HasMetadata> docs) {
    return ofType(docs, NetworkPolicy.class).get(0);
  }

  private static List<Integer> ports(NetworkPolicyEgressRule rule) {
    return rule.getPorts().stream().map(NetworkPolicyPort::getPort).map(p -> p.getIntVal()).toList();
  }

  private static List<String> cidrs(NetworkPolicyEgressRule rule) {
    return rule.getTo().stream().map(NetworkPolicyPeer::getIpBlock).map(b -> b.getCidr()).toList();
  }

  private static Map<String, EnvVar> envVars(List<HasMetadata> docs) {
    return ofType(docs, Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
        .stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  private static Map<String, String> env(List<HasMetadata> docs) {
    return ofType(docs, Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
        .stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}

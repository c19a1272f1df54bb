package io.agentdeploy.operator.remote.http;

import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.Authenticator;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * What {@link ProxyTransportTest} runs in a child JVM, for what one JVM cannot set twice: a hosts
 * file ({@code -Djdk.net.hosts.file}, read once per process) that resolves test domains to
 * loopback, or proxy variables in the real environment. It prints one line per finding; the test
 * asserts on them.
 */
public final class ProxyProbe {
  static final String KEY = "lsv2_proxy_test_key";
  static final String TENANT = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

  private ProxyProbe() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "no-proxy" -> noProxy(Arrays.copyOfRange(args, 1, args.length));
      case "environment" -> environment(args[1], args[2], args[3]);
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.exit(0); // the transports' threads are not daemons
  }

  /**
   * Each argument is a case {@code scheme|host|NO_PROXY} ({@code {port}} in NO_PROXY stands for the
   * target's port); each is called once through a proxy that reaches every host on loopback. The
   * simulator (plain http) and an HTTPS front for it listen on loopback, which the hosts file
   * gives the test domains. Prints {@code CASE i proxied=... reached=... result=... target=...}.
   */
  private static void noProxy(String[] cases) throws Exception {
    TestCertificates certificates = TestCertificates.issue("corp-test-ca", List.of("api.corp.test", "corp.test"));
    TrustBundle bundle = TrustBundle.parse(certificates.caPem, "test");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withApiKey(KEY));
        TlsFront front = new TlsFront(certificates.serverContext, sim.port());
        ForwardProxy proxy = new ForwardProxy(null)) {
      for (int i = 0; i < cases.length; i++) {
        String[] c = cases[i].split("\\|", -1);
        boolean https = c[0].equals("https");
        int port = https ? front.port() : sim.port();
        Map<String, String> env = new HashMap<>();
        env.put(https ? "HTTPS_PROXY" : "HTTP_PROXY", "http://127.0.0.1:" + proxy.port());
        if (!c[2].isEmpty()) {
          env.put("NO_PROXY", c[2].replace("{port}", Integer.toString(port)));
        }
        int seenBefore = proxy.seen().size();
        int reachedBefore = sim.requests().all().size();
        String result;
        try {
          result = Integer.toString(call(c[0] + "://" + c[1] + ":" + port, env, https ? bundle : null).status());
        } catch (RemoteException e) {
          result = "failed:" + e.getMessage().replace(' ', '_');
        }
        List<ForwardProxy.Seen> seen = proxy.seen();
        System.out.println("CASE " + i + " proxied=" + (seen.size() > seenBefore) + " reached="
            + (sim.requests().all().size() > reachedBefore) + " result=" + result + " target="
            + (seen.size() > seenBefore ? seen.get(seen.size() - 1).target() : "-"));
      }
    }
  }

  /**
   * With proxy variables in the real environment: what the Kubernetes client reads, the JVM-wide
   * proxy selector, authenticator and properties, before and after the operator's transport is
   * built from that environment (as the operator builds it) and has called through both proxies;
   * then a real Kubernetes client's request. Prints {@code key=value} lines.
   *
   * @param httpsTarget an https URL reachable through HTTPS_PROXY, trusted with the CA in {@code caFile}
   * @param httpTarget a plain http URL reachable through HTTP_PROXY
   * @param apiServer the Kubernetes API server URL, reachable through HTTP_PROXY
   */
  private static void environment(String httpsTarget, String httpTarget, String apiServer) throws Exception {
    ProxySelector selector = ProxySelector.getDefault();
    Authenticator authenticator = Authenticator.getDefault();
    java.util.TimeZone.getDefault(); // the JDK sets user.timezone on first use: not a change of ours
    Map<Object, Object> properties = new HashMap<>(System.getProperties());
    String before = fabric8(Config.autoConfigure(null));

    // As OperatorRuntime does.
    HttpTransport transport = new HttpTransport(new SimpleMeterRegistry(), Duration.ofSeconds(5), Duration.ofSeconds(5),
        0, ProxySettings.fromEnvironment(System.getenv()));
    TrustBundle bundle = TrustBundle.parse(Files.readString(Path.of(System.getProperty("probe.caFile"))), "test");
    System.out.println("remote-https=" + call(transport, httpsTarget, bundle).status());
    System.out.println("remote-http=" + call(transport, httpTarget, null).status());

    System.out.println("selector-unchanged=" + (ProxySelector.getDefault() == selector));
    System.out.println("selector=" + ProxySelector.getDefault().getClass().getName());
    System.out.println("authenticator=" + Authenticator.getDefault());
    Map<Object, Object> after = new HashMap<>(System.getProperties());
    HashSet<Object> changed = new HashSet<>(properties.keySet());
    changed.addAll(after.keySet());
    changed.removeIf(k -> java.util.Objects.equals(properties.get(k), after.get(k)));
    System.out.println("properties-changed=" + changed);
    System.out.println("fabric8-before=" + before);
    Config config = Config.autoConfigure(null);
    System.out.println("fabric8-after=" + fabric8(config));
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(config).withMasterUrl(apiServer).withRequestRetryBackoffLimit(0).build()).build()) {
      System.out.println("kubernetes-namespaces=" + client.namespaces().list().getItems().size());
    }
  }

  private static String fabric8(Config config) {
    return "httpsProxy:" + config.getHttpsProxy() + " httpProxy:" + config.getHttpProxy() + " noProxy:"
        + Arrays.toString(config.getNoProxy()) + " proxyUsername:" + config.getProxyUsername();
  }

  /** One list call to {@code baseUrl} through a transport built from {@code env}, as the tests make it. */
  static ApiResponse call(String baseUrl, Map<String, String> env, TrustBundle bundle) {
    HttpTransport transport = new HttpTransport(new SimpleMeterRegistry(), Duration.ofSeconds(2), Duration.ofSeconds(5),
        0, ProxySettings.fromEnvironment(env));
    return call(transport, baseUrl, bundle);
  }

  private static ApiResponse call(HttpTransport transport, String baseUrl, TrustBundle bundle) {
    // (a plain-http host counts as allowed for https too)
    BaseUrlPolicy policy = BaseUrlPolicy.of(List.of(), List.of(URI.create(baseUrl).getAuthority()));
    Endpoint endpoint = new Endpoint("langsmith", policy.check(baseUrl + "/api-host").orElseThrow(),
        Map.of("X-Api-Key", KEY, "X-Tenant-Id", TENANT), new TokenBucket(1000, 100, System::nanoTime), bundle);
    return transport.send(endpoint, ApiRequest.get("list", "/v2/deployments", Map.of("limit", "1")));
  }
}

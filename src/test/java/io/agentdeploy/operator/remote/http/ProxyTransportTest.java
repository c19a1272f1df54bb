package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote calls through a real forward proxy on loopback, to the simulator over real HTTP. The
 * remote is named {@code sim.remote.test}, which does not resolve: only the proxy (which reaches
 * every host on loopback) can get there, so a call that succeeds went through it.
 */
class ProxyTransportTest {
  private static final String REMOTE = "sim.remote.test";
  private static final String KEY = "lsv2_proxy_test_key";
  private Simulator sim;
  private ForwardProxy proxy;

  @BeforeEach
  void startSimulator() {
    sim = Simulator.start(SimulatorConfig.defaults().withApiKey(KEY).withBindAddress(anyAddress()));
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    sim.close();
  }

  @Test
  void plainHttpGoesThroughHttpProxyWithAndWithoutCredentials() throws Exception {
    proxy = new ForwardProxy(null);
    get("http://" + REMOTE + ":" + sim.port(), Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port()));
    assertEquals(List.of(new ForwardProxy.Seen("GET", "http://" + REMOTE + ":" + sim.port() + "/api-host/v2/deployments?limit=1",
        true)), proxy.seen());
    proxy.close();

    proxy = new ForwardProxy(basic("svc", "p@ss:w0rd"));
    get("http://" + REMOTE + ":" + sim.port(), Map.of("HTTP_PROXY", "http://svc:p%40ss%3Aw0rd@127.0.0.1:" + proxy.port()));
    assertTrue(proxy.seen().get(0).authorized(), "the proxy got the credentials");
    RemoteException refused = assertThrows(RemoteException.class, () -> get("http://" + REMOTE + ":" + sim.port(),
        Map.of("HTTP_PROXY", "http://svc:wrong-password@127.0.0.1:" + proxy.port())));
    assertEquals(407, refused.httpStatus());
    assertFalse(refused.getMessage().contains("wrong-password"), refused.getMessage());
  }

  @Test
  void httpsOpensATunnelWithConnectWithAndWithoutCredentials() throws Exception {
    TestCertificates certificates = TestCertificates.issue("proxy-test-ca", List.of(REMOTE));
    TrustBundle bundle = TrustBundle.parse(certificates.caPem, "test");
    try (TlsFront front = new TlsFront(certificates.serverContext, sim.port())) {
      String target = "https://" + REMOTE + ":" + front.port();
      for (String credentials : new String[] {null, basic("svc", "s3cret")}) {
        proxy = new ForwardProxy(credentials);
        String userInfo = credentials == null ? "" : "svc:s3cret@";
        // TLS runs end to end inside the tunnel: the certificate is checked for sim.remote.test.
        assertEquals(200, get(target, Map.of("HTTPS_PROXY", "http://" + userInfo + "127.0.0.1:" + proxy.port()),
            bundle).status());
        assertEquals(List.of(new ForwardProxy.Seen("CONNECT", REMOTE + ":" + front.port(), true)), proxy.seen(),
            "one CONNECT, credentials " + (credentials == null ? "not needed" : "sent"));
        proxy.close();
      }
      proxy = new ForwardProxy(basic("svc", "s3cret"));
      RemoteException e = assertThrows(RemoteException.class,
          () -> get(target, Map.of("HTTPS_PROXY", "http://svc:wrong@127.0.0.1:" + proxy.port()), bundle));
      assertFalse(proxy.seen().get(0).authorized(), "wrong credentials reach the proxy as wrong");
      assertFalse(e.getMessage().contains("wrong"), e.getMessage());
    }
  }

  @Test
  void noProxyMatchesGoDirectInEveryForm() throws Exception {
    String address = nonLoopbackAddress().orElse(null);
    Assumptions.assumeTrue(address != null, "needs a non-loopback IPv4 address on this machine");
    proxy = new ForwardProxy(null);
    String base = "http://" + address + ":" + sim.port();
    get(base, Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port()));
    assertEquals(1, proxy.seen().size(), "without NO_PROXY the call goes through the proxy");
    int prefix = address.lastIndexOf('.');
    for (String noProxy : List.of(address, address + "/32", address.substring(0, prefix) + ".0/24",
        address + ":" + sim.port(), "*", "other.example, " + address)) {
      int before = sim.requests().all().size();
      get(base, Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port(), "NO_PROXY", noProxy));
      assertEquals(1, proxy.seen().size(), "NO_PROXY=" + noProxy + " goes direct");
      assertEquals(before + 1, sim.requests().all().size(), "and reaches the remote");
    }
    get("http://127.0.0.1:" + sim.port(), Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port()));
    assertEquals(1, proxy.seen().size(), "loopback always goes direct");
  }

  @Test
  void noSystemPropertyChangesSoTheKubernetesClientKeepsItsOwnSettings() throws Exception {
    Properties before = new Properties();
    before.putAll(System.getProperties());
    proxy = new ForwardProxy(basic("svc", "s3cret"));
    assertThrows(RemoteException.class, () -> get("https://" + REMOTE + ":" + sim.port(),
        Map.of("HTTPS_PROXY", "http://svc:s3cret@127.0.0.1:" + proxy.port(), "HTTP_PROXY", "http://127.0.0.1:1")),
        "TLS to a plain-HTTP port fails, after the tunnel opened");
    assertEquals("CONNECT", proxy.seen().get(0).method());
    Map<Object, Object> after = new HashMap<>(System.getProperties());
    assertEquals(new HashMap<>(before), after, "proxy hosts, auth schemes and trust are per client, not per JVM");
  }

  private static ApiResponse get(String baseUrl, Map<String, String> env) {
    return get(baseUrl, env, null);
  }

  private static ApiResponse get(String baseUrl, Map<String, String> env, TrustBundle bundle) {
    BaseUrlPolicy policy = BaseUrlPolicy.of(List.of(), List.of(java.net.URI.create(baseUrl).getAuthority()));
    // (plain-http hosts count as allowed for https too)
    HttpTransport transport = new HttpTransport(new SimpleMeterRegistry(), Duration.ofSeconds(2),
        Duration.ofSeconds(2), 0, ProxySettings.fromEnvironment(env));
    Endpoint endpoint = new Endpoint("langsmith", policy.check(baseUrl + "/api-host").orElseThrow(),
        Map.of("X-Api-Key", KEY, "X-Tenant-Id", "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"), new TokenBucket(1000, 100, System::nanoTime),
        bundle);
    return transport.send(endpoint, ApiRequest.get("list", "/v2/deployments", Map.of("limit", "1")));
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static InetAddress anyAddress() {
    try {
      return InetAddress.getByName("0.0.0.0");
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<String> nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
            return Optional.of(a.getHostAddress());
          }
        }
      }
    }
    return Optional.empty();
  }
}

package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import java.net.Authenticator;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote calls through a real forward proxy on loopback, to the simulator over real HTTP. The
 * remote is named {@code sim.remote.test}, which does not resolve: only the proxy (which reaches
 * every host on loopback) can get there, so a call that succeeds went through it. What needs a
 * hosts file or proxy variables in the real environment runs in a child JVM ({@link ProxyProbe}).
 */
class ProxyTransportTest {
  private static final String REMOTE = "sim.remote.test";
  private static final String KEY = ProxyProbe.KEY;
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

  /** The IPv4 forms (domain and IPv6 forms: below). */
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

  /** One call of {@link #domainFormsOfNoProxyEndToEnd}: the target, NO_PROXY, and whether the proxy should see it. */
  private record DomainCase(String scheme, String host, String noProxy, boolean proxied) {
    String arg() {
      return scheme + "|" + host + "|" + noProxy;
    }
  }

  @Test
  void domainFormsOfNoProxyEndToEnd() throws Exception {
    // In a child JVM whose hosts file gives api.corp.test and corp.test the address 127.0.0.1: a
    // name is not loopback by its spelling, so it goes through the proxy unless NO_PROXY matches,
    // and a direct call resolves it through the file. notcorp.test resolves nowhere: only the
    // proxy (which reaches every host on loopback) can answer for it.
    List<DomainCase> cases = List.of(
        new DomainCase("http", "api.corp.test", "", true),
        new DomainCase("http", "api.corp.test", "api.corp.test", false),
        new DomainCase("http", "api.corp.test", ".corp.test", false),
        new DomainCase("http", "api.corp.test", "corp.test", false),
        new DomainCase("http", "api.corp.test", "*.corp.test", false),
        new DomainCase("http", "corp.test", ".corp.test", false),
        new DomainCase("http", "api.corp.test", "other.test", true),
        new DomainCase("http", "notcorp.test", "corp.test", true),
        new DomainCase("http", "api.corp.test", "api.corp.test:{port}", false),
        new DomainCase("http", "api.corp.test", "api.corp.test:1", true),
        new DomainCase("http", "api.corp.test", "other.test, .corp.test", false),
        new DomainCase("https", "api.corp.test", "", true),
        new DomainCase("https", "api.corp.test", ".corp.test", false));
    Path hosts = Files.createTempFile("proxy-test-hosts", "");
    try {
      Files.writeString(hosts, "127.0.0.1 localhost\n127.0.0.1 api.corp.test corp.test\n");
      List<String> lines = probe(Map.of(), List.of("-Djdk.net.hosts.file=" + hosts),
          java.util.stream.Stream.concat(java.util.stream.Stream.of("no-proxy"), cases.stream().map(DomainCase::arg))
              .toList());
      for (int i = 0; i < cases.size(); i++) {
        DomainCase c = cases.get(i);
        String prefix = "CASE " + i + " ";
        String line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
            .orElseThrow(() -> new AssertionError("no report for " + c + ": " + lines));
        Map<String, String> seen = report(line.substring(prefix.length()));
        assertEquals("200", seen.get("result"), c + ": " + line);
        assertEquals("true", seen.get("reached"), c + " reaches the remote");
        assertEquals(Boolean.toString(c.proxied()), seen.get("proxied"), c + (c.proxied() ? " goes through the proxy"
            : " goes direct"));
        if (c.proxied()) {
          assertTrue(seen.get("target").contains(c.host() + ":"), c + ": the proxy was asked for the name, " + line);
        }
      }
    } finally {
      Files.deleteIfExists(hosts);
    }
  }

  @Test
  void ipv6FormsOfNoProxyEndToEnd() throws Exception {
    proxy = new ForwardProxy(null);
    Map<String, String> viaProxy = Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port());
    // Through the proxy (which reaches every address on loopback): runs on any machine.
    get("http://[2001:db8::10]:" + sim.port(), Map.of("HTTP_PROXY", viaProxy.get("HTTP_PROXY"),
        "NO_PROXY", "fd00::/8,[2001:db8::1],2001:db8::10:1"));
    assertEquals(List.of(new ForwardProxy.Seen("GET", "http://[2001:db8::10]:" + sim.port()
        + "/api-host/v2/deployments?limit=1", true)), proxy.seen(), "a block or address it is not in: proxied");

    // Direct needs an IPv6 address of this machine that is not loopback ([::1] always goes direct).
    Optional<java.net.Inet6Address> own = nonLoopbackIpv6();
    Assumptions.assumeTrue(own.isPresent(), "the direct half needs a non-loopback, non-link-local IPv6 address");
    String address = own.get().getHostAddress().replaceAll("%.*", "");
    String base = "http://[" + address + "]:" + sim.port();
    get(base, viaProxy);
    assertEquals(2, proxy.seen().size(), "without NO_PROXY the call goes through the proxy");
    byte[] network = own.get().getAddress();
    Arrays.fill(network, 8, 16, (byte) 0);
    String block64 = InetAddress.getByAddress(network).getHostAddress() + "/64";
    for (String noProxy : List.of(address, "[" + address + "]", address + "/128", block64,
        "[" + address + "]:" + sim.port(), "10.0.0.0/8, " + block64)) {
      int before = sim.requests().all().size();
      get(base, Map.of("HTTP_PROXY", viaProxy.get("HTTP_PROXY"), "NO_PROXY", noProxy));
      assertEquals(2, proxy.seen().size(), "NO_PROXY=" + noProxy + " goes direct");
      assertEquals(before + 1, sim.requests().all().size(), "and reaches the remote");
    }
    get(base, Map.of("HTTP_PROXY", viaProxy.get("HTTP_PROXY"), "NO_PROXY", "[" + address + "]:1"));
    assertEquals(3, proxy.seen().size(), "another port: proxied");
  }

  @Test
  void theKubernetesClientKeepsReadingTheVariablesItself() throws Exception {
    // Proxy variables in the real environment of a child JVM, as in a pod: the operator's
    // transport is built from them and calls through both proxies; the JVM-wide selector,
    // authenticator and properties stay as they were, and fabric8 reads the variables itself and
    // sends the API server's traffic where they say.
    TestCertificates certificates = TestCertificates.issue("env-test-ca", List.of(REMOTE));
    Path caFile = Files.createTempFile("proxy-test-ca", ".pem");
    Files.writeString(caFile, certificates.caPem);
    try (TlsFront front = new TlsFront(certificates.serverContext, sim.port());
        ForwardProxy httpsProxy = new ForwardProxy(basic("svc", "s3cret"));
        ForwardProxy httpProxy = new ForwardProxy(null);
        io.agentdeploy.operator.runtime.EmbeddedKubernetes kube = io.agentdeploy.operator.runtime.EmbeddedKubernetes
            .startWithoutCrds()) {
      int apiPort = URI.create(kube.url()).getPort();
      Map<String, String> env = Map.of("HTTPS_PROXY", "http://svc:s3cret@127.0.0.1:" + httpsProxy.port(),
          "HTTP_PROXY", "http://127.0.0.1:" + httpProxy.port(), "NO_PROXY", ".svc,10.96.0.1");
      List<String> lines = probe(env, List.of("-Dprobe.caFile=" + caFile), List.of("environment",
          "https://" + REMOTE + ":" + front.port(), "http://" + REMOTE + ":" + sim.port(), "http://kube.corp.test:" + apiPort));
      Map<String, String> seen = new HashMap<>();
      lines.stream().filter(l -> l.matches("[a-z0-9-]+=.*"))
          .forEach(l -> seen.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));

      assertEquals("200", seen.get("remote-https"), String.join("\n", lines));
      assertEquals("200", seen.get("remote-http"));
      assertEquals(List.of(new ForwardProxy.Seen("CONNECT", REMOTE + ":" + front.port(), true)), httpsProxy.seen(),
          "the operator's https call: one CONNECT with the credentials");
      assertEquals("true", seen.get("selector-unchanged"), "ProxySelector.getDefault() is the JDK's, untouched");
      assertEquals("sun.net.spi.DefaultProxySelector", seen.get("selector"));
      assertEquals("null", seen.get("authenticator"), "no default Authenticator was installed");
      assertEquals("[]", seen.get("properties-changed"));
      String fabric8 = "httpsProxy:http://svc:s3cret@127.0.0.1:" + httpsProxy.port() + " httpProxy:http://127.0.0.1:"
          + httpProxy.port() + " noProxy:[.svc, 10.96.0.1] proxyUsername:null";
      assertEquals(fabric8, seen.get("fabric8-before"), "fabric8 reads the variables itself");
      assertEquals(fabric8, seen.get("fabric8-after"), "and reads the same after the operator's clients exist");
      assertEquals("0", seen.get("kubernetes-namespaces"));
      List<String> targets = httpProxy.seen().stream().map(ForwardProxy.Seen::target).toList();
      assertEquals(2, targets.size(), targets.toString());
      assertTrue(targets.get(0).startsWith("http://" + REMOTE + ":" + sim.port() + "/"), "the operator's http call");
      assertTrue(targets.get(1).startsWith("http://kube.corp.test:" + apiPort + "/api/v1/namespaces"),
          "the Kubernetes client's request went through HTTP_PROXY by its own reading: " + targets);
    } finally {
      Files.deleteIfExists(caFile);
    }
  }

  @Test
  void noSystemPropertyChangesSoTheKubernetesClientKeepsItsOwnSettings() throws Exception {
    Properties before = new Properties();
    before.putAll(System.getProperties());
    ProxySelector selector = ProxySelector.getDefault();
    Authenticator authenticator = Authenticator.getDefault();
    proxy = new ForwardProxy(basic("svc", "s3cret"));
    assertThrows(RemoteException.class, () -> get("https://" + REMOTE + ":" + sim.port(),
        Map.of("HTTPS_PROXY", "http://svc:s3cret@127.0.0.1:" + proxy.port(), "HTTP_PROXY", "http://127.0.0.1:1")),
        "TLS to a plain-HTTP port fails, after the tunnel opened");
    assertEquals("CONNECT", proxy.seen().get(0).method());
    Map<Object, Object> after = new HashMap<>(System.getProperties());
    assertEquals(new HashMap<>(before), after, "proxy hosts, auth schemes and trust are per client, not per JVM");
    assertSame(selector, ProxySelector.getDefault(), "the JVM's proxy selector is untouched");
    assertSame(authenticator, Authenticator.getDefault(), "and so is its default authenticator");
  }

  /** Runs {@link ProxyProbe} in a child JVM with these variables (and no other proxy variables); its output lines. */
  private static List<String> probe(Map<String, String> env, List<String> jvmOptions, List<String> args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", // a short-lived probe: start-up, not peak speed
        "-cp", System.getProperty("java.class.path"), "-Dkubernetes.auth.tryKubeConfig=false",
        "-Dkubernetes.auth.tryServiceAccount=false"));
    cmd.addAll(jvmOptions);
    cmd.add(ProxyProbe.class.getName());
    cmd.addAll(args);
    Path out = Files.createTempFile("proxy-probe", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
      builder.environment().keySet().removeIf(k -> k.toUpperCase(Locale.ROOT).endsWith("_PROXY")
          || k.startsWith("KUBERNETES_") || k.equals("KUBECONFIG"));
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the probe did not finish: " + Files.readString(out));
      }
      String text = Files.readString(out);
      assertEquals(0, process.exitValue(), text);
      return text.lines().toList();
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** {@code key=value key=value} as a map. */
  private static Map<String, String> report(String line) {
    Map<String, String> values = new HashMap<>();
    for (String pair : line.strip().split(" ")) {
      int eq = pair.indexOf('=');
      values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return values;
  }

  private static ApiResponse get(String baseUrl, Map<String, String> env) {
    return get(baseUrl, env, null);
  }

  private static ApiResponse get(String baseUrl, Map<String, String> env, TrustBundle bundle) {
    return ProxyProbe.call(baseUrl, env, bundle);
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

  private static Optional<java.net.Inet6Address> nonLoopbackIpv6() throws Exception {
    for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
          if (a instanceof java.net.Inet6Address v6 && !a.isLinkLocalAddress() && !a.isLoopbackAddress()) {
            return Optional.of(v6);
          }
        }
      }
    }
    return Optional.empty();
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

package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NO_PROXY in every form, and the route each URL gets from the standard variables. */
class NoProxyTest {
  private static boolean bypasses(String noProxy, String host, int port) {
    return NoProxy.parse(noProxy).bypasses(Host.parse(host), port);
  }

  @Test
  void domainsMatchThemselvesAndTheirSubdomainsInEverySpelling() {
    for (String entry : List.of("corp.example", ".corp.example", "*.corp.example", "CORP.example.")) {
      assertTrue(bypasses(entry, "corp.example", 443), entry);
      assertTrue(bypasses(entry, "api.corp.example", 443), entry);
      assertFalse(bypasses(entry, "notcorp.example", 443), entry + " is a domain, not a string suffix");
      assertFalse(bypasses(entry, "corp.example.org", 443), entry);
    }
  }

  @Test
  void addressesAndBlocksOfBothFamiliesMatchAddressLiteralsOnly() {
    assertTrue(bypasses("10.1.2.3", "10.1.2.3", 443));
    assertFalse(bypasses("10.1.2.3", "10.1.2.4", 443));
    assertTrue(bypasses("10.0.0.0/8", "10.200.1.1", 443));
    assertFalse(bypasses("10.0.0.0/8", "11.0.0.1", 443));
    assertTrue(bypasses("0.0.0.0/0", "192.0.2.1", 443));
    assertTrue(bypasses("fd00::/8", "[fd12::1]", 443));
    assertTrue(bypasses("[fd00::1]", "[fd00:0::1]", 443), "one address, two spellings");
    assertFalse(bypasses("fd00::/8", "[2001:db8::1]", 443));
    assertFalse(bypasses("10.0.0.0/8", "ten.example", 443), "no DNS lookup: a name is not in a block");
  }

  @Test
  void aPortNarrowsAnEntryAndAStarMatchesEverything() {
    assertTrue(bypasses("corp.example:8443", "corp.example", 8443));
    assertFalse(bypasses("corp.example:8443", "corp.example", 443));
    assertTrue(bypasses("[fd00::1]:8443", "[fd00::1]", 8443));
    assertTrue(bypasses("*", "anything.example", 443));
    assertTrue(bypasses(" a.example , ,b.example", "b.example", 443), "blanks and empty entries are skipped");
  }

  @Test
  void anUnreadableEntryStopsTheStartWithOneLine() {
    InvalidHostEntry e = assertThrows(InvalidHostEntry.class, () -> NoProxy.parse("ok.example,10.0.0.0/40"));
    assertTrue(e.getMessage().contains("10.0.0.0/40") && e.getMessage().contains("prefix"), e.getMessage());
    assertThrows(InvalidHostEntry.class, () -> NoProxy.parse("bad_host.example"));
    assertThrows(InvalidHostEntry.class, () -> NoProxy.parse("corp.example/8"));
  }

  @Test
  void theVariablesChooseTheRouteAndLoopbackAlwaysGoesDirect() {
    ProxySettings settings = ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "http://proxy.corp:3128",
        "http_proxy", "proxy.corp:8080", "NO_PROXY", ".internal,10.0.0.0/8"));
    ProxyRoutes routes = ProxyRoutes.of(settings);
    assertEquals("proxy.corp:3128", via(routes, "https://api.smith.langchain.com/v2/deployments"));
    assertEquals("proxy.corp:8080", via(routes, "http://sim.example:8090/"), "lower-case name, scheme optional");
    assertEquals("direct", via(routes, "https://cp.internal/api"));
    assertEquals("direct", via(routes, "https://10.3.0.9/api"));
    assertEquals("direct", via(routes, "https://127.0.0.1:8443/"));
    assertEquals("direct", via(routes, "http://localhost:8090/"));
    assertEquals("direct", via(routes, "https://[::1]:8443/"));
    assertTrue(routes.headersFor(URI.create("https://api.smith.langchain.com/")).isEmpty(), "no credentials");
    ProxySettings httpsOnly = ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "http://proxy.corp:3128"));
    assertEquals("direct", via(ProxyRoutes.of(httpsOnly), "http://sim.example:8090/"), "no fall-back between schemes");
  }

  @Test
  void credentialsAreSentOnlyToTheProxyAndNeverPrinted() {
    ProxySettings settings = ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", "http://svc:p%40ss%3Aw0rd@proxy.corp:3128",
        "NO_PROXY", "cp.internal"));
    ProxyRoutes routes = ProxyRoutes.of(settings);
    assertEquals(Map.of("Proxy-Authorization", "Basic " + java.util.Base64.getEncoder()
        .encodeToString("svc:p@ss:w0rd".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
        routes.headersFor(URI.create("http://sim.example:8090/")));
    assertTrue(routes.headersFor(URI.create("http://cp.internal:8090/")).isEmpty(), "a direct call carries none");
    assertFalse(settings.describe().contains("p@ss") || settings.describe().contains("svc:"), settings.describe());
    InvalidHostEntry https = assertThrows(InvalidHostEntry.class,
        () -> ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "https://user:secret@proxy.corp:3128")));
    assertFalse(https.getMessage().contains("secret"), https.getMessage());
  }

  private static String via(ProxyRoutes routes, String url) {
    Proxy proxy = routes.select(URI.create(url)).get(0);
    if (proxy.type() == Proxy.Type.DIRECT) {
      return "direct";
    }
    java.net.InetSocketAddress address = (java.net.InetSocketAddress) proxy.address();
    return address.getHostString() + ":" + address.getPort();
  }
}

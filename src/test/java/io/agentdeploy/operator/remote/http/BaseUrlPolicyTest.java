package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The base-URL policy: host-list entries, and the verdict on a ControlPlane's spec.baseUrl. */
class BaseUrlPolicyTest {
  private static final BaseUrlPolicy ANY = BaseUrlPolicy.anyHttpsHost();

  private static String reasonOf(BaseUrlPolicy policy, String baseUrl) {
    BaseUrlPolicy.Verdict verdict = policy.check(baseUrl);
    return verdict instanceof BaseUrlPolicy.Refused refused ? refused.reason() : "Allowed";
  }

  private static String messageOf(BaseUrlPolicy policy, String baseUrl) {
    return assertInstanceOf(BaseUrlPolicy.Refused.class, policy.check(baseUrl)).message();
  }

  private static BaseUrlPolicy allowing(String... hosts) {
    return BaseUrlPolicy.of(List.of(hosts), List.of());
  }

  @Test
  void malformedEntriesAreRefusedWithOneLineNamingTheEntry() {
    Map<String, String> bad = Map.ofEntries(
        Map.entry("", "empty"),
        Map.entry("https://api.example.com", "without a scheme"),
        Map.entry("api.example.com/v2", "without a path"),
        Map.entry("user@api.example.com", "host only"),
        Map.entry("api.*.example.com", "'*' may only lead"),
        Map.entry("*example.com", "'*' may only lead"),
        Map.entry("*", "'*' may only lead"),
        Map.entry("*.*.example.com", "'*' may only lead"),
        Map.entry("api..example.com", "empty label"),
        Map.entry(".example.com", "empty label"),
        Map.entry("my_host.internal", "not a DNS label"),
        Map.entry("-api.example.com", "not a DNS label"),
        Map.entry("api.example.com:", "port"),
        Map.entry("api.example.com:0", "port"),
        Map.entry("api.example.com:65536", "port"),
        Map.entry("api.example.com:https", "port"),
        Map.entry("::1", "brackets"),
        Map.entry("[::1", "closing bracket"),
        Map.entry("[::g]", "not an IPv6 address"),
        Map.entry("10.0.0.256", "IPv4"),
        Map.entry("127.1", "IPv4"),
        Map.entry("0177.0.0.1", "IPv4"),
        Map.entry("*.10.0.0.1", "not an IP address"),
        Map.entry("*.[::1]", "no wildcard"));
    for (var e : bad.entrySet()) {
      InvalidHostEntry error = assertThrows(InvalidHostEntry.class,
          () -> BaseUrlPolicy.of(List.of("ok.example.com", e.getKey()), List.of()), e.getKey());
      assertTrue(error.getMessage().contains("--allowed-hosts"), error.getMessage());
      assertTrue(error.getMessage().contains("\"" + e.getKey() + "\""), error.getMessage());
      assertTrue(error.getMessage().contains(e.getValue()), e.getKey() + ": " + error.getMessage());
      assertFalse(error.getMessage().contains("\n"), error.getMessage());
      assertEquals(0, error.getStackTrace().length, "reported as one line, never as a stack trace");
    }
    InvalidHostEntry plain = assertThrows(InvalidHostEntry.class,
        () -> BaseUrlPolicy.of(List.of(), List.of("sim.sandbox.svc:80:80")));
    assertTrue(plain.getMessage().startsWith("invalid --plain-http-hosts"), plain.getMessage());
  }

  @Test
  void anEmptyAllowListAllowsAnyHttpsHostAndLoopbackOverHttp() {
    for (String url : List.of("https://api.host.langchain.com", "https://langsmith.example.com/api-host/",
        "https://10.1.2.3:8443", "https://[2001:db8::1]/api", "http://localhost:8080", "http://127.0.0.1:1",
        "http://127.255.3.4", "http://[::1]:9000", "http://LOCALHOST.:80", "HTTP://127.0.0.1", "http://[0:0:0:0:0:0:0:1]")) {
      assertEquals("Allowed", reasonOf(ANY, url), url);
    }
  }

  @Test
  void plainHttpOnlyToLoopbackByItsLiteralSpellingNeverByDns() {
    // Each of these resolves to loopback on many machines; none is loopback by spelling.
    for (String url : List.of("http://localhost.example", "http://localhost.localdomain", "http://my-localhost",
        "http://127.0.0.1.nip.io", "http://10.0.0.1", "http://[::2]", "http://api.example.com:443")) {
      assertEquals("InsecureBaseUrl", reasonOf(ANY, url), url);
    }
    String message = messageOf(ANY, "http://sim.sandbox.svc:8090/");
    assertTrue(message.contains("use https://"), message);
    assertTrue(message.contains("sim.sandbox.svc:8090"), message);
    assertTrue(message.contains("--plain-http-hosts") && message.contains("remote.plainHttpHosts"), message);
  }

  @Test
  void urlsThatCannotBeSentAreInvalidWithTheReason() {
    Map<String, String> bad = Map.ofEntries(
        Map.entry("https://my_host.internal", "not a DNS name"),
        Map.entry("https://host/%zz", "Malformed escape"),
        Map.entry("https://host:99999", "port 99999"),
        Map.entry("https://host/a|b", "Illegal character"),
        Map.entry("ftp://host", "scheme https://"),
        Map.entry("api.host.langchain.com", "scheme https://"),
        Map.entry("https:///v2", "no host"),
        Map.entry("https://user:pw@host", "user part"),
        Map.entry("https://host/?x=1", "query"),
        Map.entry("https://127.1", "not a DNS name"),
        Map.entry("https://host.123", "not a DNS name"),
        Map.entry("", "empty"));
    for (var e : bad.entrySet()) {
      String message = messageOf(ANY, e.getKey());
      assertEquals("InvalidBaseUrl", reasonOf(ANY, e.getKey()), e.getKey());
      assertTrue(message.contains(e.getValue()), e.getKey() + ": " + message);
    }
  }

  @Test
  void allowListMatchesHostCaseTrailingDotWildcardAndPort() {
    BaseUrlPolicy policy = allowing("API.Host.LangChain.com.", "*.example.com", "egp.internal:8443", "[2001:DB8::1]",
        "*.corp.example.net:443", "10.0.0.7");
    for (String url : List.of("https://api.host.langchain.com", "https://api.host.langchain.com.:443/x",
        "https://a.example.com", "https://a.b.example.com", "https://egp.internal:8443/api",
        "https://[2001:db8:0::1]", "https://ls.corp.example.net", "https://10.0.0.7:9999")) {
      assertEquals("Allowed", reasonOf(policy, url), url);
    }
    for (String url : List.of("https://example.com", "https://eu.api.host.langchain.com", "https://egp.internal",
        "https://egp.internal:443", "https://evilexample.com", "https://a.example.com.evil.io", "https://[2001:db8::2]",
        "https://ls.corp.example.net:8443", "https://10.0.0.8", "http://localhost:8080")) {
      assertEquals("BaseUrlNotAllowed", reasonOf(policy, url), url);
    }
    String message = messageOf(policy, "https://eu.api.host.langchain.com");
    assertTrue(message.contains("eu.api.host.langchain.com:443"), message);
    assertTrue(message.contains("--allowed-hosts") && message.contains("remote.allowedHosts"), message);
    assertTrue(message.contains("*.example.com"), "names the allowed hosts: " + message);
  }

  @Test
  void thePlainHttpListAllowsHttpToItsHostsWhichCountAsAllowed() {
    BaseUrlPolicy policy = BaseUrlPolicy.of(List.of("*.langchain.com"), List.of("simulator.sandbox.svc:8090",
        "*.sandbox.local"));
    assertEquals("Allowed", reasonOf(policy, "http://simulator.sandbox.svc:8090"));
    assertEquals("Allowed", reasonOf(policy, "http://sim.sandbox.local"));
    assertEquals("Allowed", reasonOf(policy, "https://simulator.sandbox.svc:8090"));
    assertEquals("InsecureBaseUrl", reasonOf(policy, "http://simulator.sandbox.svc:9000"), "other port");
    assertEquals("InsecureBaseUrl", reasonOf(policy, "http://api.host.langchain.com"), "allowed, but over https");
    assertEquals("BaseUrlNotAllowed", reasonOf(policy, "http://127.0.0.1:8090"), "loopback is not on the allow-list");
  }

  @Test
  void theAllowedUrlIsTheBaseUrlWithoutTrailingSlashes() {
    AllowedBaseUrl url = ANY.check(" https://langsmith.example.com/api-host// ").orElseThrow();
    assertEquals("https://langsmith.example.com/api-host", url.text());
    assertEquals("langsmith.example.com:443", url.hostAndPort());
    assertThrows(IllegalArgumentException.class, () -> ANY.check("http://example.com").orElseThrow());
  }
}

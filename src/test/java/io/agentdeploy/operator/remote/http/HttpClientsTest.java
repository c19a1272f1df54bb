package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One HTTP client per trust configuration: which control planes share one, when a new one is
 * built, and when an unused one is let go. The clock is the only thing the test moves.
 */
class HttpClientsTest {
  private static TestCertificates first;
  private static TestCertificates second;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final HttpClients clients = new HttpClients(Duration.ofSeconds(2), ProxyRoutes.of(ProxySettings.none()),
      now::get);

  @BeforeAll
  static void issue() throws Exception {
    first = TestCertificates.issue("share-first-ca", List.of("127.0.0.1"));
    second = TestCertificates.issue("share-second-ca", List.of("127.0.0.1"));
  }

  @Test
  void controlPlanesWithTheSameCertificatesShareOneClientAndAnotherBundleGetsItsOwn() {
    // Two control planes, each reading its own ConfigMap, both holding the same CA.
    HttpClient teamA = clients.forTrust(TrustBundle.parse(first.caPem, "ConfigMap corp-ca of ControlPlane team-a"));
    HttpClient teamB = clients.forTrust(TrustBundle.parse(first.caPem, "Secret ca of ControlPlane team-b"));
    assertSame(teamA, teamB, "the same certificates: one client, one connection pool");
    assertEquals(1, clients.size());

    HttpClient other = clients.forTrust(TrustBundle.parse(second.caPem, "ConfigMap other-ca"));
    assertNotSame(teamA, other, "other certificates: a client of their own");
    HttpClient both = clients.forTrust(TrustBundle.parse(first.caPem + second.caPem, "ConfigMap both"));
    assertNotSame(teamA, both, "a bundle is its whole set of certificates, not any one of them");
    assertNotSame(other, both);
    assertEquals(3, clients.size());

    assertSame(clients.forTrust(null), clients.forTrust(null), "the JVM's trust alone: one client too");
    assertNotSame(teamA, clients.forTrust(null), "and not one of the bundles'");
  }

  @Test
  void aRotatedBundleGetsANewClientAndTheOldOneIsDroppedOnceNoControlPlaneUsesIt() {
    TrustBundle before = TrustBundle.parse(first.caPem, "ConfigMap corp-ca");
    TrustBundle after = TrustBundle.parse(second.caPem, "ConfigMap corp-ca");
    HttpClient old = clients.forTrust(before);
    HttpClient jvm = clients.forTrust(null);

    HttpClient rotated = clients.forTrust(after);
    assertNotSame(old, rotated, "the rotated bundle is a new TLS context, so a new client");
    assertEquals(2, clients.size(), "another control plane may still use the old bundle: kept for now");

    now.addAndGet(HttpClients.UNUSED.toNanos() - 1_000);
    assertSame(rotated, clients.forTrust(after), "within the hour: kept");
    assertEquals(2, clients.size());
    now.addAndGet(2_000);
    assertSame(rotated, clients.forTrust(after), "in use: never dropped");
    assertEquals(1, clients.size(), "unused for an hour: the old client is dropped");
    assertNotSame(old, clients.forTrust(before), "the old bundle again: a fresh client, not the dropped one");

    now.addAndGet(HttpClients.UNUSED.toNanos() * 5);
    assertSame(jvm, clients.forTrust(null), "the client of the JVM's trust is never dropped");
  }
}

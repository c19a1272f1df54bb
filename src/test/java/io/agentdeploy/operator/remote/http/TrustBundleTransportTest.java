package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A control plane behind a private CA: a real HTTPS server whose certificate a CA made here signs. */
class TrustBundleTransportTest {
  private static final String KEY = "lsv2_tls_test_key";
  private static Simulator sim;
  private static TestCertificates first;
  private static TestCertificates second;
  private static TestCertificates wrongName;
  private static TlsFront front;
  private final HttpTransport transport = new HttpTransport(new SimpleMeterRegistry(), Duration.ofSeconds(2),
      Duration.ofSeconds(5), 0);

  @BeforeAll
  static void start() throws Exception {
    sim = Simulator.start(SimulatorConfig.defaults().withApiKey(KEY));
    first = TestCertificates.issue("first-ca", List.of("localhost", "127.0.0.1"));
    second = TestCertificates.issue("second-ca", List.of("localhost", "127.0.0.1"));
    wrongName = TestCertificates.issue("wrong-name-ca", List.of("other.example"));
    front = new TlsFront(first.serverContext, sim.port());
  }

  @AfterAll
  static void stop() throws Exception {
    front.close();
    sim.close();
  }

  @Test
  void refusedWithoutTheBundleInOneLineAndTrustedWithIt() {
    front.serve(first.serverContext);
    RemoteException refused = assertThrows(RemoteException.class, () -> list(null));
    assertTrue(refused.getMessage().contains("does not chain to a trusted CA"), refused.getMessage());
    assertTrue(refused.getMessage().contains("spec.caBundle"), refused.getMessage());
    assertFalse(refused.getMessage().contains("PKIX") || refused.getMessage().contains("\n"), refused.getMessage());
    assertEquals(200, list(TrustBundle.parse(first.caPem, "test bundle")).status());
  }

  @Test
  void aRotatedServerCertificateNeedsTheNewBundleWhichGetsItsOwnClient() {
    TrustBundle oldBundle = TrustBundle.parse(first.caPem, "old");
    TrustBundle newBundle = TrustBundle.parse(second.caPem, "new");
    assertNotEquals(oldBundle.fingerprint(), newBundle.fingerprint());
    assertEquals(oldBundle.fingerprint(), TrustBundle.parse(first.caPem, "again").fingerprint(), "same bundle, same id");
    front.serve(second.serverContext);
    try {
      RemoteException stale = assertThrows(RemoteException.class, () -> list(oldBundle));
      assertTrue(stale.getMessage().contains("not the JVM's CAs nor spec.caBundle"), stale.getMessage());
      assertEquals(200, list(newBundle).status());
      TrustBundle both = TrustBundle.parse(first.caPem + second.caPem, "both");
      assertEquals(2, both.certificates().size());
      assertEquals(200, list(both).status(), "a bundle with old and new CA spans a rotation");
    } finally {
      front.serve(first.serverContext);
    }
  }

  @Test
  void controlPlanesWithTheSameBundleShareConnectionsAndARotatedBundleOpensItsOwn() {
    // Seen from the server: calls through one client reuse its kept-alive connection.
    TrustBundle both = TrustBundle.parse(first.caPem + second.caPem, "both");
    int before = front.connections();
    assertEquals(200, list(TrustBundle.parse(first.caPem, "ConfigMap corp-ca of ControlPlane team-a")).status());
    assertEquals(200, list(TrustBundle.parse(first.caPem, "Secret ca of ControlPlane team-b")).status());
    assertEquals(before + 1, front.connections(), "two control planes, one trust: one client, one connection");
    assertEquals(200, list(both).status());
    assertEquals(before + 2, front.connections(), "the rotated bundle (old and new CA) is another client");
    assertEquals(200, list(both).status());
    assertEquals(before + 2, front.connections(), "which keeps its own connection");
  }

  @Test
  void aCertificateForAnotherNameIsRefusedAndSaysSo() {
    front.serve(wrongName.serverContext);
    try {
      RemoteException e = assertThrows(RemoteException.class, () -> list(TrustBundle.parse(wrongName.caPem, "b")));
      assertTrue(e.getMessage().contains("not issued for that name"), e.getMessage());
    } finally {
      front.serve(first.serverContext);
    }
  }

  @Test
  void anUnusableBundleIsOneLineNamingItsSource() {
    for (String pem : List.of("", "not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")) {
      InvalidTrustBundle e = assertThrows(InvalidTrustBundle.class, () -> TrustBundle.parse(pem, "ConfigMap corp-ca key ca.crt"));
      assertTrue(e.getMessage().startsWith("ConfigMap corp-ca key ca.crt "), e.getMessage());
      assertEquals(0, e.getStackTrace().length);
    }
  }

  private ApiResponse list(TrustBundle bundle) {
    String base = "https://127.0.0.1:" + front.port();
    Endpoint endpoint = new Endpoint("langsmith", BaseUrlPolicy.anyHttpsHost().check(base + "/api-host").orElseThrow(),
        Map.of("X-Api-Key", KEY, "X-Tenant-Id", "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"),
        new TokenBucket(1000, 100, System::nanoTime), bundle);
    return transport.send(endpoint, ApiRequest.get("list", "/v2/deployments", Map.of("limit", "1")));
  }
}

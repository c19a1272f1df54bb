package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.CaBundleSource;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.remote.http.TestCertificates;
import io.agentdeploy.operator.remote.http.TlsFront;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A control plane behind a private CA, end to end: a real HTTPS server (in front of the simulator)
 * whose certificate a CA made in the test signs; the bundle in a ConfigMap or a Secret.
 */
class PrivateCaTest {
  private static final String CP = "private";

  @Test
  void refusedWithoutTheBundleReadyWithItAndARotationIsPickedUp() throws Exception {
    TestCertificates first = TestCertificates.issue("corp-ca-2026", List.of("127.0.0.1"));
    TestCertificates second = TestCertificates.issue("corp-ca-2027", List.of("127.0.0.1"));
    try (SimulatedWorld world = new SimulatedWorld();
        TlsFront front = new TlsFront(first.serverContext, world.sim.port())) {
      String baseUrl = "https://127.0.0.1:" + front.port() + "/api-host";
      world.env.client.resource(Resources.controlPlane(CP, baseUrl, "langsmith-key", SimulatedWorld.TENANT)).create();
      Condition refused = readyWhen(world, c -> "TlsUntrusted".equals(c.getReason()));
      assertTrue(refused.getMessage().contains("does not chain to a trusted CA"), refused.getMessage());
      assertFalse(refused.getMessage().contains("PKIX"), refused.getMessage());

      world.env.client.resource(caConfigMap("corp-ca", first.caPem)).create();
      world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS).withName(CP)
          .edit(cp -> {
            cp.getSpec().setCaBundle(CaBundleSource.configMap("corp-ca", "ca.crt"));
            return cp;
          });
      readyWhen(world, c -> "True".equals(c.getStatus()));
      world.apply(Resources.dockerAgent("behind-private-ca", CP, "registry.example/agent:1"));
      world.env.awaitReady("behind-private-ca");

      // The bundle changes first (the ControlPlane checks again at once, with a new client)...
      world.env.client.resource(caConfigMap("corp-ca", second.caPem)).update();
      readyWhen(world, c -> "TlsUntrusted".equals(c.getReason()));
      // ...then the server's certificate: the same bundle now fits.
      front.serve(second.serverContext);
      readyWhen(world, c -> "True".equals(c.getStatus()));
      // The operator writes status meanwhile: an edit may meet a newer version once.
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> world.edit("behind-private-ca", a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example/agent:2");
        return a;
      }) != null);
      world.env.awaitReady("behind-private-ca");
    }
  }

  @Test
  void anUnusableBundleIsInvalidCaBundleAndNothingIsSent() throws Exception {
    TestCertificates ca = TestCertificates.issue("corp-ca", List.of("127.0.0.1"));
    try (SimulatedWorld world = new SimulatedWorld();
        TlsFront front = new TlsFront(ca.serverContext, world.sim.port())) {
      String baseUrl = "https://127.0.0.1:" + front.port() + "/api-host";
      world.env.client.resource(caConfigMap("corp-ca", "-----BEGIN CERTIFICATE-----\nnot base64\n"
          + "-----END CERTIFICATE-----\n")).create();
      ControlPlane cp = Resources.controlPlane(CP, baseUrl, "langsmith-key", SimulatedWorld.TENANT);
      cp.getSpec().setCaBundle(CaBundleSource.configMap("corp-ca", "ca.crt"));
      world.env.client.resource(cp).create();
      Condition invalid = readyWhen(world, c -> "InvalidCaBundle".equals(c.getReason()));
      assertTrue(invalid.getMessage().contains("ConfigMap corp-ca key ca.crt"), invalid.getMessage());

      ControlPlane missing = Resources.controlPlane("missing-ca", baseUrl, "langsmith-key", SimulatedWorld.TENANT);
      missing.getSpec().setCaBundle(CaBundleSource.secret("no-such-secret", "ca.crt"));
      world.env.client.resource(missing).create();
      Condition absent = readyOf(world, "missing-ca", c -> "InvalidCaBundle".equals(c.getReason()));
      assertTrue(absent.getMessage().contains("Secret no-such-secret") && absent.getMessage().contains("does not exist"),
          absent.getMessage());
      assertEquals(0, front.connections(), "nothing was sent to the control plane");

      // A Secret holding a good bundle: the other source works the same.
      world.env.client.resource(Resources.secret("no-such-secret", Map.of("ca.crt", ca.caPem))).create();
      readyOf(world, "missing-ca", c -> "True".equals(c.getStatus()));
    }
  }

  private static Condition readyWhen(SimulatedWorld world, Predicate<Condition> until) {
    return readyOf(world, CP, until);
  }

  private static Condition readyOf(SimulatedWorld world, String name, Predicate<Condition> until) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          ControlPlane cp = world.env.controlPlane(name);
          return cp == null || cp.getStatus() == null ? null
              : Conditions.find(cp.getStatus().getConditions(), Conditions.READY).orElse(null);
        }, c -> c != null && until.test(c));
  }

  private static ConfigMap caConfigMap(String name, String pem) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(Resources.NS).endMetadata()
        .withData(Map.of("ca.crt", pem)).build();
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.CaBundleSource;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ClusterControlPlaneSpec;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.api.ControlPlaneReference;
import io.agentdeploy.operator.api.NamespaceAllowList;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.remote.http.TestCertificates;
import io.agentdeploy.operator.remote.http.TlsFront;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A control plane behind a private CA, end to end: a real HTTPS server (in front of the simulator)
 * whose certificate a CA made in the test signs; the bundle in a ConfigMap or a Secret, of a
 * ControlPlane or of a ClusterControlPlane, and the AgentDeployments behind them.
 */
class PrivateCaTest {
  private static final String CP = "private";
  private static final String CCP = "shared-private";
  private static final String OPERATOR_NS = "agentdeploy-system";

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

  @Test
  void anAgentDeploymentBehindAnUnusableBundleSaysWhyAndSendsNothing() throws Exception {
    TestCertificates ca = TestCertificates.issue("corp-ca", List.of("127.0.0.1"));
    try (SimulatedWorld world = new SimulatedWorld();
        TlsFront front = new TlsFront(ca.serverContext, world.sim.port())) {
      String baseUrl = "https://127.0.0.1:" + front.port() + "/api-host";
      world.env.client.resource(caConfigMap("corp-ca", "not a certificate")).create();
      ControlPlane cp = Resources.controlPlane(CP, baseUrl, "langsmith-key", SimulatedWorld.TENANT);
      cp.getSpec().setCaBundle(CaBundleSource.configMap("corp-ca", "ca.crt"));
      world.env.client.resource(cp).create();
      readyWhen(world, c -> "InvalidCaBundle".equals(c.getReason()));

      world.apply(Resources.dockerAgent("behind-bad-ca", CP, "registry.example/agent:1"));
      AgentDeployment waiting = world.env.awaitAgent("behind-bad-ca", Duration.ofSeconds(30),
          becauseOfTheBundle(Conditions.READY));
      String message = OperatorHarness.condition(waiting, Conditions.READY).orElseThrow().getMessage();
      assertTrue(message.contains("ControlPlane " + CP) && message.contains("ConfigMap corp-ca key ca.crt"), message);
      assertEquals("Pending", waiting.getStatus().getPhase());
      assertEquals(0, front.connections(), "nothing was sent to the control plane");
      assertEquals(List.of(), world.traffic("behind-bad-ca", null), "nor to any other remote");

      // Fixed, deployed, then broken again: the deployment keeps running and no change is sent.
      world.env.client.resource(caConfigMap("corp-ca", ca.caPem)).update();
      world.env.awaitReady("behind-bad-ca");
      String id = world.env.get("behind-bad-ca").getStatus().getDeploymentId();
      world.env.client.resource(caConfigMap("corp-ca", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
          .update();
      readyWhen(world, c -> "InvalidCaBundle".equals(c.getReason()));
      Instant broken = Instant.now();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> world.edit("behind-bad-ca", a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example/agent:2");
        return a;
      }) != null);
      AgentDeployment held = world.env.awaitAgent("behind-bad-ca", Duration.ofSeconds(30),
          becauseOfTheBundle(Conditions.SYNCED).and(a -> OperatorHarness.condition(a, Conditions.SYNCED)
              .map(c -> c.getObservedGeneration() != null && c.getObservedGeneration() >= 2).orElse(false)));
      assertTrue(OperatorHarness.condition(held, Conditions.SYNCED).orElseThrow().getMessage()
          .contains("ConfigMap corp-ca key ca.crt"));
      assertEquals(List.of(), world.traffic("behind-bad-ca", id).stream()
          .filter(r -> !r.time().isBefore(broken) && r.operation().isWrite()).toList(), "no write with a broken bundle");
    }
  }

  @Test
  void aClusterControlPlaneTrustsTheBundleInTheOperatorsNamespace() throws Exception {
    TestCertificates ca = TestCertificates.issue("corp-shared-ca", List.of("127.0.0.1"));
    TestCertificates other = TestCertificates.issue("team-ca", List.of("127.0.0.1"));
    try (SimulatedWorld world = new SimulatedWorld(SimulatedWorld.fastSimulator(),
            OperatorHarness.FAST.withOperatorNamespace(OPERATOR_NS));
        TlsFront front = new TlsFront(ca.serverContext, world.sim.port())) {
      world.env.client.resource(new SecretBuilder().withNewMetadata().withName("shared-key").withNamespace(OPERATOR_NS)
          .endMetadata().withStringData(Map.of("apiKey", SimulatedWorld.API_KEY)).build()).create();
      ClusterControlPlane ccp = clusterControlPlane("https://127.0.0.1:" + front.port() + "/api-host");
      world.env.client.resource(ccp).create();
      Condition refused = clusterReady(world, c -> "TlsUntrusted".equals(c.getReason()));
      assertTrue(refused.getMessage().contains("does not chain to a trusted CA"), refused.getMessage());

      // The same name in the AgentDeployments' namespace holds another CA: not where a cluster-scoped one looks.
      world.env.client.resource(caConfigMap("corp-ca", other.caPem)).create();
      world.env.client.resources(ClusterControlPlane.class).withName(CCP).edit(c -> {
        c.getSpec().setCaBundle(CaBundleSource.configMap("corp-ca", "ca.crt"));
        return c;
      });
      Condition absent = clusterReady(world, c -> "InvalidCaBundle".equals(c.getReason()));
      assertTrue(absent.getMessage().contains("does not exist in namespace " + OPERATOR_NS), absent.getMessage());

      ConfigMap home = caConfigMap("corp-ca", ca.caPem);
      home.getMetadata().setNamespace(OPERATOR_NS);
      world.env.client.resource(home).create();
      clusterReady(world, c -> "True".equals(c.getStatus()));

      AgentDeployment agd = Resources.dockerAgent("behind-shared-ca", CCP, "registry.example/agent:1");
      agd.getSpec().setControlPlaneRef(new ControlPlaneReference(CCP, ControlPlaneKind.ClusterControlPlane));
      world.apply(agd);
      world.env.awaitReady("behind-shared-ca");
      assertEquals(1, world.remote("behind-shared-ca").size(), "created through the private-CA front");
    }
  }

  /**
   * The reasons an AgentDeployment may give for a bundle that cannot be used: its ControlPlane is
   * not Ready (saying why), or, when its own pass reads the bundle first, InvalidCaBundle.
   */
  private static Predicate<AgentDeployment> becauseOfTheBundle(String type) {
    return a -> OperatorHarness.condition(a, type).map(c -> "False".equals(c.getStatus())
        && Set.of("ControlPlaneNotReady", "InvalidCaBundle").contains(c.getReason())).orElse(false);
  }

  private static ClusterControlPlane clusterControlPlane(String baseUrl) {
    ClusterControlPlane cp = new ClusterControlPlane();
    cp.setMetadata(new ObjectMetaBuilder().withName(CCP).build());
    ClusterControlPlaneSpec spec = new ClusterControlPlaneSpec();
    spec.setProvider(Provider.LANGSMITH);
    spec.setBaseUrl(baseUrl);
    spec.setApiKeySecretRef(new SecretKeySelector("shared-key", "apiKey"));
    spec.setTenantId(SimulatedWorld.TENANT);
    spec.setAllowedNamespaces(new NamespaceAllowList(List.of(Resources.NS), null));
    cp.setSpec(spec);
    return cp;
  }

  private static Condition clusterReady(SimulatedWorld world, Predicate<Condition> until) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          ClusterControlPlane cp = world.env.client.resources(ClusterControlPlane.class).withName(CCP).get();
          return cp == null || cp.getStatus() == null ? null
              : Conditions.find(cp.getStatus().getConditions(), Conditions.READY).orElse(null);
        }, c -> c != null && until.test(c));
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

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ClusterControlPlaneSpec;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.controller.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Produces the Argo CD health fixtures of ControlPlane and ClusterControlPlane from a real run, as
 * {@link HealthFixturesTest} does for AgentDeployments. To refresh them:
 * {@code ./mvnw test -Dtest=ControlPlaneHealthFixturesTest -Dagentdeploy.fixtures.write=true}.
 */
class ControlPlaneHealthFixturesTest {
  static final Path DIR = Path.of("src/test/resources/argocd/controlplane-fixtures");
  private static final String OPERATOR_NS = "agentdeploy-system";

  @Test
  void checkedInFixturesAreWhatTheOperatorProduces() throws Exception {
    Map<String, String> produced = produce();
    if (Boolean.getBoolean("agentdeploy.fixtures.write")) {
      Files.createDirectories(DIR);
      for (var e : produced.entrySet()) {
        Files.writeString(DIR.resolve(e.getKey() + ".json"), e.getValue());
      }
    }
    Map<String, String> checkedIn = new TreeMap<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        checkedIn.put(f.getFileName().toString().replace(".json", ""), Files.readString(f));
      }
    }
    assertEquals(produced, checkedIn, "fixtures differ from a fresh run; refresh with -Dagentdeploy.fixtures.write=true");
  }

  private static Map<String, String> produce() throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (SimulatedWorld world = new SimulatedWorld(SimulatedWorld.fastSimulator(),
        OperatorHarness.FAST.withOperatorNamespace(OPERATOR_NS))) {
      OperatorHarness env = world.env;
      out.put("connected", capture(awaitReason(env, SimulatedWorld.CONTROL_PLANE, "Connected")));

      env.client.resource(Resources.apiKeySecret("fx-wrong-key", "lsv2_sk_not_the_right_one")).create();
      create(env, "fx-unauthorized", world.sim.baseUrl(), "fx-wrong-key");
      out.put("unauthorized", capture(awaitReason(env, "fx-unauthorized", "Unauthorized")));

      create(env, "fx-no-secret", world.sim.baseUrl(), "fx-absent");
      out.put("secret-not-found", capture(awaitReason(env, "fx-no-secret", "SecretNotFound")));

      create(env, "fx-unreachable", "http://127.0.0.1:" + closedPort(), "langsmith-key");
      out.put("unreachable", capture(awaitReason(env, "fx-unreachable", "Unreachable")));

      create(env, "fx-insecure", "http://api.example.com", "langsmith-key");
      out.put("insecure-base-url", capture(awaitReason(env, "fx-insecure", "InsecureBaseUrl")));

      create(env, "fx-used", world.sim.baseUrl(), "langsmith-key");
      awaitReason(env, "fx-used", "Connected");
      world.apply(Resources.dockerAgent("fx-user", "fx-used", "registry.example.com/agent:1"));
      env.awaitReady("fx-user");
      env.client.resources(ControlPlane.class).inNamespace(Resources.NS).withName("fx-used").delete();
      out.put("in-use", capture(await().atMost(Duration.ofSeconds(20))
          .until(() -> env.controlPlane("fx-used"), cp -> Conditions.find(cp.getStatus().getConditions(), "Deleting")
              .isPresent())));

      env.client.resource(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName("shared-key")
          .withNamespace(OPERATOR_NS).build()).withStringData(Map.of("apiKey", SimulatedWorld.API_KEY)).build()).create();
      env.client.resource(clusterControlPlane("fx-cluster", world.sim.baseUrl())).create();
      out.put("cluster-connected", capture(await().atMost(Duration.ofSeconds(20))
          .until(() -> env.client.resources(ClusterControlPlane.class).withName("fx-cluster").get(),
              reason("Connected"))));

      env.stopOperator();
      create(env, "fx-unchecked", world.sim.baseUrl(), "langsmith-key");
      out.put("not-yet-checked", capture(env.controlPlane("fx-unchecked")));
      env.startOperator();
    }
    return out;
  }

  /** As {@link HealthFixturesTest#capture}, and the simulator's port (in spec and messages) differs between runs. */
  private static String capture(io.fabric8.kubernetes.api.model.HasMetadata resource) throws Exception {
    return HealthFixturesTest.capture(resource).replaceAll("127\\.0\\.0\\.1:[0-9]+", "127.0.0.1:0");
  }

  private static void create(OperatorHarness env, String name, String baseUrl, String secret) {
    env.client.resource(Resources.controlPlane(name, baseUrl, secret, SimulatedWorld.TENANT)).create();
  }

  private static ControlPlane awaitReason(OperatorHarness env, String name, String reason) {
    return await().atMost(Duration.ofSeconds(20)).until(() -> env.controlPlane(name), reason(reason));
  }

  private static <T extends io.fabric8.kubernetes.client.CustomResource<?, io.agentdeploy.operator.api.ControlPlaneStatus>>
      Predicate<T> reason(String reason) {
    return cp -> cp != null && cp.getStatus() != null
        && reason.equals(Conditions.reason(cp.getStatus().getConditions(), Conditions.READY));
  }

  private static ClusterControlPlane clusterControlPlane(String name, String baseUrl) {
    ClusterControlPlane cp = new ClusterControlPlane();
    cp.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ClusterControlPlaneSpec spec = new ClusterControlPlaneSpec();
    spec.setProvider(Provider.LANGSMITH);
    spec.setBaseUrl(baseUrl);
    spec.setApiKeySecretRef(new SecretKeySelector("shared-key", "apiKey"));
    spec.setTenantId(SimulatedWorld.TENANT);
    cp.setSpec(spec);
    return cp;
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

package io.agentdeploy.operator.ha;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.AgentDeploymentSpec;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.ControlPlaneReference;
import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.LangSmithRevisionConfig;
import io.agentdeploy.operator.api.LangSmithSource;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two operator processes (the built jar, separate JVMs) with leader election on the embedded API:
 * only the leader reconciles; SIGKILL of the leader mid-rollout and the standby finishes the job;
 * SIGTERM shuts down well inside the grace period and releases the Lease.
 */
class HighAvailabilityIT {
  private static final String NS = "agents";
  private static final String LEASE = "agent-deployment-operator";
  private static final String TENANT = "5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
  private final HttpClient http = HttpClient.newHttpClient();

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Process operator(Path kubeconfig, String identity, int port, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", "target/agent-deployment-operator.jar",
        "--leader-election=true", "--lease-namespace=default", "--lease-identity=" + identity,
        "--lease-duration=3s", "--lease-renew-deadline=2s", "--lease-retry-period=500ms",
        "--server-side-apply=false", "--http-port=" + port, "--poll-initial=200ms", "--poll-max=800ms",
        "--resync-interval=5s", "--retry-initial=200ms", "--retry-max=2s"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().remove("HOSTNAME");
    return pb.start();
  }

  private int status(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace("default").withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Test
  void standbyTakesOverFromAKilledLeaderAndSigtermReleasesTheLease() throws Exception {
    Path dir = Files.createTempDirectory("ha-it");
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start();
        Simulator sim = Simulator.start(SimulatorConfig.defaults()
            .withTimings(Duration.ofMillis(1500), Duration.ofMillis(100), Duration.ofMillis(500)))) {
      KubernetesClient client = kube.client();
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: embedded, cluster: {server: "%s"}}]
          users: [{name: embedded, user: {token: embedded}}]
          contexts: [{name: embedded, context: {cluster: embedded, user: embedded, namespace: default}}]
          current-context: embedded
          """.formatted(kube.url()));
      int portA = freePort();
      int portB = freePort();
      Process a = operator(kubeconfig, "operator-a", portA, dir.resolve("a.log"));
      Process b = null;
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> "operator-a".equals(holder(client)));
        b = operator(kubeconfig, "operator-b", portB, dir.resolve("b.log"));
        int bPort = portB;
        await().atMost(Duration.ofSeconds(30)).until(() -> status(bPort, "/readyz") == 200);
        assertEquals(200, status(portB, "/healthz"), "the standby is alive");
        assertEquals("operator-a", holder(client), "the standby did not take the Lease");

        client.resource(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName("key").withNamespace(NS)
            .build()).withStringData(Map.of("apiKey", "lsv2_ha_key")).build()).create();
        ControlPlane cp = new ControlPlane();
        cp.setMetadata(new ObjectMetaBuilder().withName("langsmith").withNamespace(NS).build());
        ControlPlaneSpec cpSpec = new ControlPlaneSpec();
        cpSpec.setProvider(Provider.LANGSMITH);
        cpSpec.setBaseUrl(sim.baseUrl());
        cpSpec.setApiKeySecretRef(new SecretKeySelector("key", "apiKey"));
        cpSpec.setTenantId(TENANT);
        cp.setSpec(cpSpec);
        client.resource(cp).create();
        client.resource(agent("ha-agent")).create();

        // Kill the leader once the create reached the remote, in the middle of the rollout.
        await().atMost(Duration.ofSeconds(30)).until(() -> sim.requests().count(SimOperation.CREATE_DEPLOYMENT) == 1);
        a.destroyForcibly().waitFor();
        Instant killed = Instant.now();
        await().atMost(Duration.ofSeconds(30)).until(() -> "operator-b".equals(holder(client)));
        AgentDeployment ready = await().atMost(Duration.ofSeconds(30)).until(
            () -> client.resources(AgentDeployment.class).inNamespace(NS).withName("ha-agent").get(),
            r -> r.getStatus() != null && Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY));
        assertEquals(1, sim.requests().count(SimOperation.CREATE_DEPLOYMENT), "the standby did not create again");
        assertEquals(1, sim.langsmith().deployments().size());
        assertEquals(sim.langsmith().deployments().get(0).path("id").asText(), ready.getStatus().getDeploymentId());
        System.out.println("failover: Ready " + Duration.between(killed, Instant.now()).toMillis()
            + " ms after SIGKILL of the leader");

        Instant term = Instant.now();
        b.destroy();
        assertTrue(b.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "SIGTERM within the grace period");
        Duration shutdown = Duration.between(term, Instant.now());
        System.out.println("shutdown after SIGTERM: " + shutdown.toMillis() + " ms");
        String after = holder(client);
        assertTrue(after == null || after.isBlank(), "the Lease is released on SIGTERM, holder is " + after);
      } finally {
        a.destroyForcibly();
        if (b != null) {
          b.destroyForcibly();
        }
        for (File f : dir.toFile().listFiles()) {
          if (f.getName().endsWith(".log")) {
            System.out.println("---- " + f.getName() + "\n" + Files.readString(f.toPath()));
          }
        }
      }
    }
  }

  private static AgentDeployment agent(String name) {
    AgentDeployment agd = new AgentDeployment();
    agd.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    AgentDeploymentSpec spec = new AgentDeploymentSpec();
    spec.setControlPlaneRef(new ControlPlaneReference("langsmith"));
    LangSmithSpec ls = new LangSmithSpec();
    ls.setName(name);
    ls.setSource(LangSmithSource.EXTERNAL_DOCKER);
    LangSmithRevisionConfig rc = new LangSmithRevisionConfig();
    rc.setImageUri("registry.example.com/agent:1");
    ls.setRevisionConfig(rc);
    spec.setLangsmith(ls);
    agd.setSpec(spec);
    return agd;
  }
}

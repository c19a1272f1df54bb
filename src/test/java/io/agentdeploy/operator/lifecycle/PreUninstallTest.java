package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.PreUninstallCommand;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.controller.ControlPlaneReconciler;
import io.agentdeploy.operator.controller.CredentialGuard;
import io.agentdeploy.operator.rbac.ApiRequestRecorder;
import io.agentdeploy.operator.rbac.ChartRbac;
import io.agentdeploy.operator.rbac.Grant;
import io.agentdeploy.operator.rbac.RenderedChart;
import io.agentdeploy.operator.rbac.RequestAttributes;
import io.agentdeploy.operator.rbac.Usage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code preuninstall} subcommand the chart's pre-delete hook runs, against the mock API
 * server with the real operator running (so its finalizers are real). The operator's Deployment
 * and pod are plain objects here; a stand-in kubelet stops the in-process operator and deletes
 * the pod once the Deployment is scaled to zero. The hook's requests are recorded and compared
 * with the hook RBAC the chart renders.
 */
class PreUninstallTest {
  private static final String HOOK_ACCOUNT = RenderedChart.FULLNAME + "-preuninstall";
  private static final Map<String, String> OPERATOR_LABELS = Map.of("app.kubernetes.io/name",
      "agent-deployment-operator", "app.kubernetes.io/instance", RenderedChart.RELEASE);

  private SimulatedWorld world;
  private KubernetesClient client;
  private final ApiRequestRecorder recorder = new ApiRequestRecorder();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    world = new SimulatedWorld();
    client = world.env.client;
    client.resource(new DeploymentBuilder().withNewMetadata().withName(RenderedChart.FULLNAME)
        .withNamespace(RenderedChart.NAMESPACE).endMetadata().withNewSpec().withReplicas(1).withNewSelector()
        .withMatchLabels(OPERATOR_LABELS).endSelector().withNewTemplate().withNewMetadata().withLabels(OPERATOR_LABELS)
        .endMetadata().withNewSpec().addNewContainer().withName("operator").withImage("operator").endContainer()
        .endSpec().endTemplate().endSpec().build()).create();
    client.resource(new PodBuilder().withNewMetadata().withName(RenderedChart.FULLNAME + "-7d9f8-x2k4q")
        .withNamespace(RenderedChart.NAMESPACE).withLabels(OPERATOR_LABELS).endMetadata().build()).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> finalizers(secret()).contains(CredentialGuard.FINALIZER)
        && finalizers(controlPlane(SimulatedWorld.CONTROL_PLANE)).contains(ControlPlaneReconciler.FINALIZER)
        && finalizers(controlPlane(SimulatedWorld.AGENTEX_CONTROL_PLANE)).contains(ControlPlaneReconciler.FINALIZER));
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void refusesAndListsTheAgentDeploymentsWhileAnyExists() {
    world.apply(Resources.dockerAgent("still-here", SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1"));
    world.apply(Resources.agentexAgent("also-here", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
    world.env.awaitReady("still-here");
    world.env.awaitReady("also-here");

    int exit = preuninstall("--namespaces=" + Resources.NS);

    assertEquals(1, exit);
    List<String> lines = output.toString(StandardCharsets.UTF_8).lines().toList();
    assertTrue(lines.contains("  agents/also-here") && lines.contains("  agents/still-here"), String.join("\n", lines));
    assertTrue(lines.stream().anyMatch(l -> l.contains("deletionPolicy")), "says how to keep the remote deployments");
    assertEquals(1, operatorDeployment().getSpec().getReplicas(), "the operator keeps running");
    assertTrue(finalizers(secret()).contains(CredentialGuard.FINALIZER));
    assertTrue(finalizers(controlPlane(SimulatedWorld.CONTROL_PLANE)).contains(ControlPlaneReconciler.FINALIZER));
    // What it sent is what the namespaced chart lets the hook do.
    Set<Grant> grants = hookGrants(Map.of("watchNamespaces[0]", Resources.NS));
    assertEquals(Set.of(), Usage.denied(Usage.of(recorder.sent()), grants));
  }

  @Test
  void withNoneLeftStopsTheOperatorThenRemovesEveryFinalizerItSet() throws Exception {
    client.resource(clusterControlPlane()).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> finalizers(client.resources(ClusterControlPlane.class)
        .withName("shared").get()).contains(ControlPlaneReconciler.FINALIZER));
    world.apply(Resources.dockerAgent("gone-soon", SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1"));
    world.env.awaitReady("gone-soon");
    world.delete("gone-soon");
    world.env.awaitGone("gone-soon");
    AtomicReference<Boolean> finalizersWhenStopped = new AtomicReference<>();
    CompletableFuture<Void> kubelet = CompletableFuture.runAsync(() -> {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> operatorDeployment().getSpec().getReplicas() == 0);
      finalizersWhenStopped.set(finalizers(secret()).contains(CredentialGuard.FINALIZER)
          && finalizers(controlPlane(SimulatedWorld.CONTROL_PLANE)).contains(ControlPlaneReconciler.FINALIZER));
      world.env.stopOperator();
      client.pods().inNamespace(RenderedChart.NAMESPACE).withLabels(OPERATOR_LABELS).delete();
    });

    int exit = preuninstall();

    kubelet.get(30, TimeUnit.SECONDS);
    assertEquals(0, exit, output.toString(StandardCharsets.UTF_8));
    assertEquals(Boolean.TRUE, finalizersWhenStopped.get(), "nothing is removed before the operator is stopped");
    assertEquals(0, operatorDeployment().getSpec().getReplicas());
    assertEquals(List.of(), finalizers(secret()));
    assertEquals(List.of(), finalizers(controlPlane(SimulatedWorld.CONTROL_PLANE)));
    assertEquals(List.of(), finalizers(controlPlane(SimulatedWorld.AGENTEX_CONTROL_PLANE)));
    assertEquals(List.of(), finalizers(client.resources(ClusterControlPlane.class).withName("shared").get()));
    String report = output.toString(StandardCharsets.UTF_8);
    assertTrue(report.contains("ControlPlane agents/langsmith") && report.contains("Secret agents/langsmith-key"),
        report);
    // Nothing holds the namespace any more: deleting everything leaves nothing behind.
    client.secrets().inNamespace(Resources.NS).withName("langsmith-key").delete();
    client.resources(ControlPlane.class).inNamespace(Resources.NS).delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> secret() == null
        && client.resources(ControlPlane.class).inNamespace(Resources.NS).list().getItems().isEmpty());

    // The hook's RBAC (all namespaces) is exactly what it used.
    List<RequestAttributes> used = Usage.of(recorder.sent());
    Set<Grant> grants = hookGrants(Map.of());
    assertEquals(Set.of(), Usage.denied(used, grants), "the hook sends requests its RBAC does not allow");
    assertEquals(Set.of(), Usage.unused(used, grants, Set.of()), "the hook's RBAC grants more than it uses");
  }

  private ClusterControlPlane clusterControlPlane() {
    ClusterControlPlane cp = new ClusterControlPlane();
    cp.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("shared").build());
    var spec = new io.agentdeploy.operator.api.ClusterControlPlaneSpec();
    spec.setProvider(io.agentdeploy.operator.api.Provider.LANGSMITH);
    spec.setBaseUrl(world.sim.baseUrl());
    spec.setApiKeySecretRef(new io.agentdeploy.operator.api.SecretKeySelector("shared-key", "apiKey"));
    spec.setAllowedNamespaces(new io.agentdeploy.operator.api.NamespaceAllowList(List.of(Resources.NS), null));
    cp.setSpec(spec);
    return cp;
  }

  private int preuninstall(String... extra) {
    String[] args = new String[extra.length + 3];
    args[0] = "--operator-deployment=" + RenderedChart.FULLNAME;
    args[1] = "--operator-namespace=" + RenderedChart.NAMESPACE;
    args[2] = "--stop-timeout=20s";
    System.arraycopy(extra, 0, args, 3, extra.length);
    PreUninstallCommand command = new PreUninstallCommand(() -> recorder.clientLike(world.env.kube.newClient()),
        new PrintStream(output, true, StandardCharsets.UTF_8));
    return new CommandLine(command).execute(args);
  }

  private static Set<Grant> hookGrants(Map<String, Object> values) {
    List<HasMetadata> hooks = RenderedChart.render(values).stream().filter(RenderedChart::isHook).toList();
    return ChartRbac.of(hooks, HOOK_ACCOUNT, RenderedChart.NAMESPACE).grants();
  }

  private Deployment operatorDeployment() {
    Deployment d = client.apps().deployments().inNamespace(RenderedChart.NAMESPACE).withName(RenderedChart.FULLNAME)
        .get();
    assertNotNull(d);
    return d;
  }

  private HasMetadata secret() {
    return client.secrets().inNamespace(Resources.NS).withName("langsmith-key").get();
  }

  private ControlPlane controlPlane(String name) {
    return world.env.controlPlane(name);
  }

  private static List<String> finalizers(HasMetadata object) {
    return object == null || object.getMetadata().getFinalizers() == null ? List.of()
        : object.getMetadata().getFinalizers();
  }
}

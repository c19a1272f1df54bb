package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.config.LeaderElection;
import io.agentdeploy.operator.config.OperatorConfig;
import io.agentdeploy.operator.rbac.ApiRequestRecorder;
import io.agentdeploy.operator.rbac.ChartRbac;
import io.agentdeploy.operator.rbac.RenderedChart;
import io.agentdeploy.operator.rbac.RequestAttributes;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RbacUsageTest {

  @Test
  void allNamespaces() {
    run(Set.of(), Map.of());
  }

  @Test
  void watchNamespaces() {
    run(Set.of(Resources.NS), Map.of("watchNamespaces[0]", Resources.NS));
  }

  private void run(Set<String> namespaces, Map<String, Object> values) {
    ApiRequestRecorder recorder = new ApiRequestRecorder();
    OperatorConfig config = OperatorHarness.FAST.withNamespaces(namespaces)
        .withOperatorNamespace(RenderedChart.NAMESPACE)
        .withLeaderElection(new LeaderElection(true, RenderedChart.FULLNAME, RenderedChart.NAMESPACE, "rbac-test",
            Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(300)));
    try (SimulatedWorld world = new SimulatedWorld(SimulatedWorld.fastSimulator(), config,
        kube -> recorder.clientLike(kube.newClient()))) {
      world.env.client.resource(Resources.secret("agent-env", Map.of("token", "t-1"))).create();
      var agent = Resources.dockerAgent("rbac-ls", SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1");
      agent.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("TOKEN", "agent-env", "token"));
      world.apply(agent);
      world.env.awaitReady("rbac-ls");
      world.edit("rbac-ls", a -> {
        a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/a:2");
        return a;
      });
      world.env.awaitReady("rbac-ls");
      world.apply(Resources.agentexAgent("rbac-ax", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
      world.env.awaitReady("rbac-ax");
      world.delete("rbac-ls");
      world.delete("rbac-ax");
      world.env.awaitGone("rbac-ls");
      world.env.awaitGone("rbac-ax");
      for (String cp : List.of(SimulatedWorld.AGENTEX_CONTROL_PLANE, SimulatedWorld.CONTROL_PLANE)) {
        world.env.client.resources(ControlPlane.class).inNamespace(Resources.NS).withName(cp).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> world.env.controlPlane(cp) == null);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> world.env.client.secrets().inNamespace(Resources.NS)
          .withName("langsmith-key").get().getMetadata().getFinalizers().isEmpty());
      world.env.stopOperator();
      Lease lease = world.env.client.leases().inNamespace(RenderedChart.NAMESPACE).withName(RenderedChart.FULLNAME)
          .get();
      System.out.println("LEASE " + lease.getSpec());
      Set<String> used = new TreeSet<>();
      List<String> other = new ArrayList<>();
      for (var s : recorder.sent()) {
        RequestAttributes.of(s.method(), s.uri()).ifPresentOrElse(a -> used.add(a.toString()),
            () -> other.add(s.method() + " " + s.uri()));
      }
      System.out.println("USED\n" + String.join("\n", used));
      System.out.println("OTHER\n" + String.join("\n", other));
      ChartRbac rbac = ChartRbac.of(RenderedChart.render(values), RenderedChart.FULLNAME, RenderedChart.NAMESPACE);
      System.out.println("GRANTS\n" + rbac.grants().stream().map(Object::toString).sorted()
          .collect(Collectors.joining("\n")));
    }
  }
}

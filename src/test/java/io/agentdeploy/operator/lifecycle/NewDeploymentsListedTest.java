package io.agentdeploy.operator.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.simulator.RecordedRequest;
import io.agentdeploy.operator.simulator.SimOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.Interceptor.RequestTags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A resource's create pass tracks its new deployment id for the poller before its own status
 * write (which holds the id) reaches the informer cache. A poller round in that moment sees no
 * resource holding the id; had it dropped the id, the resource would read its deployment and its
 * revision itself at its next resync (the benchmark saw it for 1-3% of 1,000 resources at the
 * first resync after Ready, and 2-5 reads in its steady window). Here the status write is held
 * back on its way out, so that a round surely falls in that moment.
 */
class NewDeploymentsListedTest {
  private static final Duration RESYNC = Duration.ofSeconds(1);
  private SimulatedWorld world;

  @BeforeEach
  void start() {
    world = new SimulatedWorld(SimulatedWorld.instantSimulator(), OperatorHarness.FAST.withTimings(RESYNC,
        Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofSeconds(20), Duration.ofSeconds(5),
        Duration.ofMillis(200), Duration.ofSeconds(2)).withRateLimit(500, 100), kube -> slowStatusWrites(kube.newClient()));
  }

  /**
   * The operator's client, its status writes for {@code slow-create} held back 1.5 s (more than a
   * resync interval) before they leave: at least one poller round runs after that resource's create
   * pass tracked its new id and before its status, holding the id, reaches the informer cache.
   */
  private static KubernetesClient slowStatusWrites(KubernetesClient template) {
    Interceptor slow = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String path = request.uri().getPath();
        if ("PATCH".equals(request.method()) && path.endsWith("/slow-create/status")) {
          try {
            Thread.sleep(RESYNC.toMillis() * 3 / 2);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
    return InterceptedClient.like(template, "slow-status", slow);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void aDeploymentCreatedWhileARoundRunsIsListedBeforeItsResourceShowsItInTheCache() throws Exception {
    // A resource of the same account the poller already lists.
    world.apply(agent("anchor"));
    world.env.awaitAgent("anchor", Duration.ofSeconds(30), OperatorHarness::readyNow);
    world.sim.requests().clear();
    world.apply(agent("slow-create"));
    AgentDeployment ready = world.env.awaitAgent("slow-create", Duration.ofSeconds(30), OperatorHarness::readyNow);
    Instant readyAt = Instant.now();
    String id = ready.getStatus().getDeploymentId();
    Thread.sleep(RESYNC.multipliedBy(4).toMillis());

    List<RecordedRequest> own = world.sim.requests().matching(r -> r.path().contains(id));
    long readsAfterReady = own.stream().filter(r -> r.operation() == SimOperation.GET_DEPLOYMENT
        && r.time().isAfter(readyAt)).count();
    long listedWith = world.sim.requests().matching(r -> r.operation() == SimOperation.LIST_DEPLOYMENTS
        && r.query() != null && r.query().contains(id)).size();
    System.out.printf("slow create: listed in %d calls, %d reads of its own after Ready (%s)%n", listedWith,
        readsAfterReady, own.stream().map(r -> r.operation().name()).toList());
    assertTrue(listedWith >= 3, "the poller lists the new deployment every round: " + listedWith);
    assertEquals(0, readsAfterReady, "no resync of the new resource reads its deployment itself");
  }

  private static AgentDeployment agent(String name) {
    return Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/agent:1");
  }
}

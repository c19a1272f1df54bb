package io.agentdeploy.operator.remote.agentex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeploymentSpec;
import io.agentdeploy.operator.api.AgentexImage;
import io.agentdeploy.operator.api.AgentexSpec;
import io.agentdeploy.operator.api.TextSource;
import io.agentdeploy.operator.remote.DeleteOutcome;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.RemoteMatch;
import io.agentdeploy.operator.remote.http.BaseUrlPolicy;
import io.agentdeploy.operator.remote.http.Endpoint;
import io.agentdeploy.operator.remote.http.HttpTransport;
import io.agentdeploy.operator.remote.http.TokenBucket;
import io.agentdeploy.operator.simulator.Fault;
import io.agentdeploy.operator.simulator.OpenApiContract;
import io.agentdeploy.operator.simulator.SimOperation;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Agentex client against the simulator: the nonce lookup, not-found rules and refused deletes. */
class AgentexClientTest {
  private Simulator sim;
  private AgentexClient client;

  @BeforeEach
  void start() {
    sim = Simulator.start(SimulatorConfig.defaults().withTimings(Duration.ofMillis(50), Duration.ZERO,
        Duration.ofMillis(50)));
    client = clientFor(sim);
  }

  private static AgentexClient clientFor(Simulator sim) {
    return new AgentexClient(new HttpTransport(new SimpleMeterRegistry(), Duration.ofSeconds(1),
        Duration.ofSeconds(2), 2), new Endpoint("agentex",
        BaseUrlPolicy.anyHttpsHost().check(sim.baseUrl()).orElseThrow(),
        Map.of("x-api-key", "sgp-test", "x-selected-account-id", "acct-client"),
        new TokenBucket(5000, 1000, System::nanoTime)));
  }

  @AfterEach
  void stop() {
    try {
      sim.faults().clear();
      OpenApiContract.assertConforms(sim.requests().all());
    } finally {
      sim.close();
    }
  }

  private static AgentDeploymentSpec spec(String agent, String tag) {
    AgentexSpec ax = new AgentexSpec();
    ax.setName(agent);
    ax.setImage(new AgentexImage("registry.example.com/" + agent, tag));
    ax.setManifest(TextSource.inline("agent:\n  name: " + agent + "\n"));
    ax.setEnvironmentConfig(TextSource.inline("env: prod\n"));
    AgentDeploymentSpec spec = new AgentDeploymentSpec();
    spec.setAgentex(ax);
    return spec;
  }

  private static AgentexDesired desired(AgentDeploymentSpec spec) {
    AgentexSpec ax = spec.getAgentex();
    return AgentexMapper.toDesired(ax, ax.getManifest().getInline(), ax.getEnvironmentConfig().getInline(),
        io.agentdeploy.operator.remote.TestHashers.ZERO);
  }

  @Test
  void theLookupPagesToTheWindowStartWithNoPageCapAndReadsTheNonce() throws Exception {
    AgentDeploymentSpec spec = spec("paged", "1");
    for (int i = 0; i < 30; i++) {
      client.create(desired(spec), "before-" + i);
    }
    Thread.sleep(20);
    Instant windowStart = Instant.now();
    Thread.sleep(20);
    String ours = client.create(desired(spec), "ours-nonce").deploymentId();
    // More newer deploys than the old 5-page cap (500) reached.
    for (int i = 0; i < 520; i++) {
      client.create(desired(spec("other-" + (i % 7), "x")), "other-" + i);
    }
    sim.requests().clear();
    List<RemoteMatch> found = client.lookup(spec, windowStart);
    assertTrue(found.stream().anyMatch(m -> ours.equals(m.deploymentId()) && "ours-nonce".equals(m.nonce())
        && "paged".equals(m.name())), "our deploy is found behind 520 newer ones");
    assertTrue(found.stream().noneMatch(m -> m.nonce() != null && m.nonce().startsWith("before-")),
        "nothing older than the window start is read");
    assertEquals(6, sim.requests().count(SimOperation.AGENTEX_LIST),
        "521 deploys in the window: 6 pages, and the page that reaches the window start is the last");
  }

  @Test
  void onlyTheApisOwnNotFoundCountsAndItWantsASecondRead() {
    Observation gone = client.observe("no-such-deploy", null);
    assertEquals(Observation.Absence.RECHECK, gone.absence());
    sim.faults().next(SimOperation.AGENTEX_GET, 3, new Fault.BareNotFound());
    assertEquals(RemoteException.Kind.RETRYABLE,
        assertThrows(RemoteException.class, () -> client.observe("no-such-deploy", null)).kind());
    sim.faults().next(SimOperation.AGENTEX_GET, 3, new Fault.HtmlNotFound());
    assertEquals(RemoteException.Kind.RETRYABLE,
        assertThrows(RemoteException.class, () -> client.observe("no-such-deploy", null)).kind());
  }

  @Test
  void aDeleteAnsweredWithAClientErrorIsRefusedNotGone() {
    String id = client.create(desired(spec("refused", "1")), "n").deploymentId();
    sim.faults().next(SimOperation.AGENTEX_DELETE, 1, new Fault.Status(409));
    assertEquals(DeleteOutcome.REFUSED, client.delete(id, false));
    assertEquals(DeleteOutcome.DONE, client.delete(id, false));
    assertEquals(DeleteOutcome.REFUSED, client.delete(id, false), "already DELETED: refused, the caller reads it");
  }

  @Test
  void liveHoldersAreTheAgentsLiveProductionDeploysDownToTheOneThatServes() throws Exception {
    // Steps of 400 ms: the newest deploy is still in progress when the holders are read.
    try (Simulator slow = Simulator.start(SimulatorConfig.defaults().withTimings(Duration.ofMillis(400), Duration.ZERO,
        Duration.ofMillis(50)))) {
      AgentexClient c = clientFor(slow);
      AgentDeploymentSpec spec = spec("held", "1");
      String superseded = c.create(desired(spec), "old").deploymentId();
      Thread.sleep(900); // completed (two steps)
      String serving = c.create(desired(spec), null).deploymentId();
      Thread.sleep(900);
      AgentDeploymentSpec previewSpec = spec("held", "pr");
      previewSpec.getAgentex().setPreview(new io.agentdeploy.operator.api.AgentexPreview());
      String preview = c.create(desired(previewSpec), null).deploymentId();
      for (int i = 0; i < 150; i++) {
        c.create(desired(spec("other-" + (i % 3), "x")), null);
      }
      String pending = c.create(desired(spec), "newest").deploymentId();
      slow.requests().clear();
      List<RemoteMatch> holders = c.liveHolders(spec);
      assertEquals(List.of(pending, serving), holders.stream().map(RemoteMatch::deploymentId).toList(),
          "in progress and serving, newest first; the preview and the superseded deploy hold nothing");
      assertEquals("newest", holders.get(0).nonce());
      assertEquals(2, slow.requests().count(SimOperation.AGENTEX_LIST),
          "it pages past other agents' deploys and stops at the serving one");
      assertTrue(slow.requests().all().stream().noneMatch(r -> r.query().contains("build_id")
          || r.query().contains("preview_label")), "no filter: a hand-made deploy may use any build or image");
      assertEquals(List.of(), c.liveHolders(previewSpec), "a preview holds its own release");
      assertTrue(holders.stream().noneMatch(m -> m.deploymentId().equals(preview)
          || m.deploymentId().equals(superseded)));
      OpenApiContract.assertConforms(slow.requests().all());
    }
  }
}

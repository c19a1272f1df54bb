package io.agentdeploy.operator.remote.langsmith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.LangSmithRevisionConfig;
import io.agentdeploy.operator.api.LangSmithSource;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.remote.Applied;
import io.agentdeploy.operator.remote.DeleteOutcome;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.RemoteException.Kind;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LangSmith client against the simulator over HTTP: headers, calls, and the error taxonomy. */
class LangSmithClientTest {
  private static final String KEY = "lsv2_client_test_key";
  private static final String TENANT = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
  private Simulator sim;
  private SimpleMeterRegistry meters;
  private LangSmithClient client;

  @BeforeEach
  void start() {
    sim = Simulator.start(SimulatorConfig.defaults().withApiKey(KEY)
        .withTimings(Duration.ofMillis(250), Duration.ZERO, Duration.ofMillis(100))
        .withPatchDuringRollout(SimulatorConfig.PatchDuringRollout.REJECT));
    meters = new SimpleMeterRegistry();
    client = client(KEY, Duration.ofSeconds(2));
  }

  private LangSmithClient client(String key, Duration timeout) {
    HttpTransport transport = new HttpTransport(meters, Duration.ofSeconds(1), timeout, 2);
    return new LangSmithClient(transport, new Endpoint("langsmith",
        BaseUrlPolicy.anyHttpsHost().check(sim.baseUrl() + "/api-host").orElseThrow(),
        Map.of("X-Api-Key", key, "X-Tenant-Id", TENANT), new TokenBucket(1000, 100, System::nanoTime)));
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

  private static LangSmithDesired desired(String name, String image, Map<String, String> env) {
    LangSmithSpec spec = new LangSmithSpec();
    spec.setName(name);
    spec.setSource(LangSmithSource.EXTERNAL_DOCKER);
    LangSmithRevisionConfig rc = new LangSmithRevisionConfig();
    rc.setImageUri(image);
    spec.setRevisionConfig(rc);
    return LangSmithMapper.toDesired(spec, env, env.keySet(), io.agentdeploy.operator.remote.TestHashers.ZERO);
  }

  @Test
  void everyCallTheOperatorMakesWorksAndSendsTheDocumentedHeaders() {
    LangSmithDesired d = desired("client-a", "img:1", Map.of("TOKEN", "secret-token-1"));
    Applied created = client.create(d, null);
    assertEquals(1, client.findByName("client-a").size());
    assertEquals(List.of(), client.findByName("client"), "lookup is by exact name, not substring");
    Observation o = client.observe(created.deploymentId(), d);
    assertTrue(o.exists() && o.upToDate());
    assertEquals(created.revisionId(), o.rollout().revisionId());
    assertEquals(1, client.listByIds(List.of(created.deploymentId())).size());
    assertEquals(1, client.listRevisions(created.deploymentId(), 10).size());
    client.checkAccess();
    assertEquals(DeleteOutcome.ACCEPTED, client.delete(created.deploymentId(), true));
    assertTrue(client.observe(created.deploymentId(), null).deleting());
    sim.requests().all().forEach(r -> {
      assertEquals("***", r.headers().get("x-api-key"), r.toString());
      assertEquals(TENANT, r.headers().get("x-tenant-id"));
    });
    assertTrue(meters.get("agentdeploy.remote.requests").tags("operation", "createDeployment", "status", "201")
        .timer().count() == 1);
  }

  @Test
  void errorsMapToTheTaxonomy() throws Exception {
    Applied created = client.create(desired("client-b", "img:1", Map.of()), null);
    assertEquals(DeleteOutcome.REFUSED, client.delete("0f8d3c2a-1b4e-4c6d-9e7f-000000000000", false),
        "a DELETE answered 404 proves nothing by itself");
    Observation gone = client.observe("0f8d3c2a-1b4e-4c6d-9e7f-000000000000", null);
    assertFalse(gone.exists());
    assertEquals(Observation.Absence.CONFIRMED, gone.absence(), "the API's own 404 and a list without the id agree");

    sim.faults().next(SimOperation.GET_DEPLOYMENT, 3, new Fault.Status(404));
    RemoteException foreign = assertThrows(RemoteException.class, () -> client.observe(created.deploymentId(), null));
    assertEquals(Kind.RETRYABLE, foreign.kind(), "a 404 that does not name the id is not taken as a deletion");

    sim.faults().clear();
    // Decided by reading the latest revision (still rolling out), not by the answer's text.
    RemoteException busy = assertThrows(RemoteException.class,
        () -> client.update(created.deploymentId(), desired("client-b", "img:2", Map.of())));
    assertEquals(Kind.ROLLOUT_IN_PROGRESS, busy.kind());
    sim.faults().next(SimOperation.PATCH_DEPLOYMENT, 1, new Fault.Status(409));
    RemoteException conflict = assertThrows(RemoteException.class,
        () -> client.update(created.deploymentId(), desired("client-b", "img:2", Map.of())));
    assertEquals(Kind.CONFLICT, conflict.kind(), "a 409 on PATCH is a retryable conflict");
    assertTrue(conflict.isTransient());

    RemoteException duplicate = assertThrows(RemoteException.class, () -> client.create(desired("client-b", "x", Map.of()), null));
    assertEquals(Kind.INVALID, duplicate.kind());
    assertTrue(duplicate.getMessage().contains("already exists"));

    sim.faults().next(SimOperation.LIST_DEPLOYMENTS, 1, new Fault.RateLimited(3));
    RemoteException limited = assertThrows(RemoteException.class, () -> client.findByName("client-b"));
    assertEquals(Kind.RATE_LIMITED, limited.kind());
    assertEquals(Duration.ofSeconds(3), limited.retryAfter().orElseThrow());

    RemoteException denied = assertThrows(RemoteException.class, () -> client("lsv2_wrong", Duration.ofSeconds(2))
        .checkAccess());
    assertEquals(Kind.UNAUTHORIZED, denied.kind());
    assertFalse(denied.getMessage().contains("lsv2_wrong"));

    sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Delay(1500));
    RemoteException slow = assertThrows(RemoteException.class,
        () -> client("lsv2_client_test_key", Duration.ofMillis(300)).create(desired("client-slow", "img:1", Map.of()), null));
    assertEquals(Kind.RETRYABLE, slow.kind());
  }

  @Test
  void aRevisionReadAnsweredByAProxy404IsTransientNotAnUnknownRevision() {
    LangSmithDesired d = desired("client-proxy", "img:1", Map.of());
    Applied created = client.create(d, null);
    sim.faults().next(SimOperation.GET_REVISION, 1, new Fault.BareNotFound());

    RemoteException proxied = assertThrows(RemoteException.class, () -> client.observe(created.deploymentId(), d));

    assertEquals(Kind.RETRYABLE, proxied.kind(), proxied.getMessage());
    Observation later = client.observe(created.deploymentId(), d);
    assertEquals(created.revisionId(), later.rollout().revisionId());
    assertFalse("UNKNOWN".equals(later.rollout().status()), "the API's answer names the revision's status");
  }

  @Test
  void readsAreRetriedInlineButCreatesNever() {
    Applied created = client.create(desired("client-c", "img:1", Map.of()), null);
    sim.faults().next(SimOperation.GET_DEPLOYMENT, 2, new Fault.Status(503));
    assertTrue(client.observe(created.deploymentId(), null).exists(), "two 503s absorbed by inline retries");
    assertEquals(3, sim.requests().count(SimOperation.GET_DEPLOYMENT));

    sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Status(503));
    RemoteException e = assertThrows(RemoteException.class, () -> client.create(desired("client-d", "img:1", Map.of()), null));
    assertEquals(Kind.RETRYABLE, e.kind());
    assertEquals(2, sim.requests().count(SimOperation.CREATE_DEPLOYMENT), "one POST for client-c, one for client-d");
  }

  @Test
  void secretValuesEchoedByTheRemoteAreRedacted() {
    sim.faults().next(SimOperation.CREATE_DEPLOYMENT, 1, new Fault.Status(500));
    LangSmithDesired d = desired("client-e", "img:1", Map.of("TOKEN", "very-secret-token-value"));
    assertEquals(Set.of("very-secret-token-value"), d.sensitiveValues());
    RemoteException e = assertThrows(RemoteException.class, () -> client.create(d, null));
    assertFalse(e.getMessage().contains("very-secret-token-value"));
  }

  /** Revision ids come from the remote: one that is not an id is an answer the client cannot use, not a refusal. */
  @Test
  void aRevisionIdThatIsNotOneIsUnexpectedNotARefusalAndSendsNothing() {
    Applied applied = client.create(desired("client-odd", "img:1", Map.of()), null);
    long before = sim.requests().count(SimOperation.GET_REVISION);
    for (String odd : List.of("rev 1|x", "../../v1/admin", "%2e%2e")) {
      RemoteException e = assertThrows(RemoteException.class, () -> client.revisionExists(applied.deploymentId(), odd));
      assertEquals(Kind.UNEXPECTED, e.kind(), odd);
      assertFalse(e.getMessage().contains(odd), e.getMessage());
      e = assertThrows(RemoteException.class, () -> client.redeploy(applied.deploymentId(), odd));
      assertEquals(Kind.UNEXPECTED, e.kind(), odd);
    }
    assertEquals(before, sim.requests().count(SimOperation.GET_REVISION), "no request with such a path");
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.WriteAheadRecord;
import io.agentdeploy.operator.simulator.SimOperation;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second writer (a replica without leader election, the old leader during a handover) records
 * its own PATCH between this operator's read and its write-ahead record. A real API server refuses
 * the stale record with a conflict (the mock does not enforce it for status writes, so the test
 * scripts that answer and makes the other writer's record at that moment): the pass must then
 * send nothing, and the next one must see the other writer's write in flight and wait for it.
 * Re-applying the stale draft over the other record, as a retrying status update does, would
 * send a second PATCH at once.
 */
class StaleWriterTest {
  private static SimulatedWorld world;

  @BeforeAll
  static void start() {
    world = new SimulatedWorld();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  void aWriteAheadRecordRefusedWithAConflictSendsNothingAndTheOtherWritersWriteIsWaitedFor() {
    world.apply(Resources.dockerAgent("stale-writer", SimulatedWorld.CONTROL_PLANE, "registry.example.com/s:1"));
    String id = world.env.awaitReady("stale-writer").getStatus().getDeploymentId();
    Duration otherInFlight = Duration.ofSeconds(4);
    AtomicReference<Instant> conflictAt = new AtomicReference<>();
    KubernetesClient otherWriter = world.env.kube.newClient();
    world.env.kube.server().expect().patch()
        .withPath("/apis/agentdeploy.io/v1alpha1/namespaces/" + Resources.NS + "/agentdeployments/stale-writer/status")
        .andReply(409, request -> {
          // The other writer's record lands right behind this refusal (from another thread: the
          // mock answers one request at a time), so the next pass reads it.
          // Its own read-modify-write retries a conflict, as any writer's does.
          new Thread(() -> {
            for (int attempt = 0; conflictAt.get() == null && attempt < 20; attempt++) {
              try {
                otherWriter.resources(AgentDeployment.class).inNamespace(Resources.NS).withName("stale-writer")
                    .editStatus(a -> {
                      Instant now = Instant.now();
                      WriteAheadRecord record = new WriteAheadRecord("Update", id, "0123456789abcdef",
                          "another-writers-hash", null, now.toString(), now.toString());
                      record.setInFlightUntil(now.plus(otherInFlight).toString());
                      a.getStatus().setWriteAhead(record);
                      return a;
                    });
                conflictAt.set(Instant.now());
              } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409) {
                  throw e;
                }
              }
            }
          }).start();
          return new StatusBuilder().withStatus("Failure").withReason("Conflict").withCode(409)
              .withMessage("the object has been modified; please apply your changes to the latest version").build();
        }).once();

    world.edit("stale-writer", a -> {
      a.getSpec().getLangsmith().getRevisionConfig().setImageUri("registry.example.com/s:2");
      return a;
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> conflictAt.get() != null);
    AgentDeployment waiting = world.env.awaitAgent("stale-writer", Duration.ofSeconds(5),
        OperatorHarness.reason("Synced", "UpdateInFlight"));
    assertEquals("0123456789abcdef", waiting.getStatus().getWriteAhead().getNonce(),
        "the other writer's record stays as it wrote it");
    assertEquals(0, world.count("stale-writer", id, SimOperation.PATCH_DEPLOYMENT),
        "nothing is sent while the other writer's PATCH may be in flight");

    // The other writer never answered: once its window is over, one PATCH applies the spec.
    AgentDeployment ready = world.env.awaitReady("stale-writer");
    Instant firstPatch = world.sim.requests().matching(r -> r.operation() == SimOperation.PATCH_DEPLOYMENT
        && r.path().contains(id)).get(0).time();
    assertTrue(!firstPatch.isBefore(conflictAt.get().plus(otherInFlight).minusMillis(200)),
        "the PATCH waited for the other writer's window: " + firstPatch + " against " + conflictAt.get());
    assertEquals(1, world.count("stale-writer", id, SimOperation.PATCH_DEPLOYMENT), "one PATCH in all");
    assertEquals("registry.example.com/s:2", world.remote("stale-writer").get(0)
        .path("source_revision_config").path("image_uri").asText());
    assertEquals(null, ready.getStatus().getWriteAhead(), "the status write after the PATCH retired the record");
    otherWriter.close();
  }
}

package io.agentdeploy.operator.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.controller.Conditions;
import io.agentdeploy.operator.controller.CredentialGuard;
import io.agentdeploy.operator.simulator.SimOperation;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting a namespace deletes everything in it at once, in no useful order. The mock API server
 * cannot delete a namespace, so the test does what the namespace controller does, in the worst
 * order: every Secret first, then everything else, in one burst.
 */
class NamespaceDeletionTest {
  private SimulatedWorld world;

  @BeforeEach
  void start() {
    world = new SimulatedWorld();
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void deletingEverythingAtOnceSecretsFirstStillDeletesEveryRemoteDeploymentAndLeavesNothing() {
    KubernetesClient client = world.env.client;
    client.resource(Resources.secret("agent-env", Map.of("token", "t-1"))).create();
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace(Resources.NS)
        .endMetadata().withData(Map.of("k", "v")).build()).create();
    for (String name : List.of("ns-agent-1", "ns-agent-2")) {
      AgentDeployment agent = Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/a:1");
      agent.getSpec().getLangsmith().getEnv().add(Resources.fromSecret("TOKEN", "agent-env", "token"));
      world.apply(agent);
    }
    world.apply(Resources.agentexAgent("ns-agentex", SimulatedWorld.AGENTEX_CONTROL_PLANE, "1"));
    for (String name : List.of("ns-agent-1", "ns-agent-2", "ns-agentex")) {
      world.env.awaitReady(name);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> protectedKey(client));
    long deletesBefore = langSmithDeletes();

    // The burst: Secrets first, then ControlPlanes, AgentDeployments, ConfigMaps, Events.
    for (Class<? extends HasMetadata> kind : List.of(Secret.class, ControlPlane.class, AgentDeployment.class,
        io.fabric8.kubernetes.api.model.ConfigMap.class, io.fabric8.kubernetes.api.model.Event.class)) {
      for (HasMetadata item : client.resources(kind).inNamespace(Resources.NS).list().getItems()) {
        client.resource(item).delete();
      }
    }

    // The API key stays, marked for deletion, while deployments still need it.
    Secret key = client.secrets().inNamespace(Resources.NS).withName("langsmith-key").get();
    assertNotNull(key, "the API key outlives the burst");
    assertNotNull(key.getMetadata().getDeletionTimestamp());

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> Set.of(Secret.class,
        ControlPlane.class, AgentDeployment.class).stream()
        .allMatch(kind -> client.resources(kind).inNamespace(Resources.NS).list().getItems().isEmpty()));
    assertTrue(world.remote("ns-agent-1").isEmpty() && world.remote("ns-agent-2").isEmpty(),
        "the LangSmith deployments are gone from the remote");
    assertFalse(world.deploys("ns-agentex").isEmpty());
    assertTrue(world.deploys("ns-agentex").stream().allMatch(d -> "DELETED".equals(d.path("status").asText())),
        "every Agentex deploy is DELETED: " + world.deploys("ns-agentex"));
    // Deleted with the key read from the Secret being deleted: the simulator refuses any other key.
    assertEquals(2, langSmithDeletes() - deletesBefore, "one DELETE per LangSmith deployment (alone or in a bulk call)");
    world.assertContract();
  }

  /** Ids deleted with a 2xx answer: one by one, or in a bulk DELETE /v2/deployments (repeated deployment_ids). */
  private long langSmithDeletes() {
    return world.sim.requests().matching(r -> r.status() / 100 == 2).stream()
        .mapToLong(r -> r.operation() == SimOperation.DELETE_DEPLOYMENT ? 1
            : r.operation() == SimOperation.DELETE_DEPLOYMENTS ? r.query().split("deployment_ids=", -1).length - 1 : 0)
        .sum();
  }

  @Test
  void aSecretOptedOutGetsNoFinalizerAndLosesTheOneItHad() {
    KubernetesClient client = world.env.client;
    await().atMost(Duration.ofSeconds(10)).until(() -> protectedKey(client));

    annotate(client, "langsmith-key", "false");
    await().atMost(Duration.ofSeconds(10)).until(() -> !protectedKey(client));

    Secret optedOut = Resources.apiKeySecret("other-key", SimulatedWorld.API_KEY);
    optedOut.getMetadata().setAnnotations(Map.of(CredentialGuard.OPT_OUT, "false"));
    client.resource(optedOut).create();
    client.resource(Resources.controlPlane("other", world.sim.baseUrl(), "other-key", SimulatedWorld.TENANT)).create();
    // Ready means the reconcile that decides about the finalizer has run.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      ControlPlane cp = world.env.controlPlane("other");
      return cp != null && cp.getStatus() != null && Conditions.isTrue(cp.getStatus().getConditions(), Conditions.READY);
    });
    assertEquals(List.of(), finalizers(client.secrets().inNamespace(Resources.NS).withName("other-key").get()));

    // Taking the opt-out back protects the Secret again.
    annotate(client, "langsmith-key", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> protectedKey(client));
  }

  private static boolean protectedKey(KubernetesClient client) {
    return finalizers(client.secrets().inNamespace(Resources.NS).withName("langsmith-key").get())
        .contains(CredentialGuard.FINALIZER);
  }

  private static List<String> finalizers(Secret secret) {
    return secret.getMetadata().getFinalizers() == null ? List.of() : secret.getMetadata().getFinalizers();
  }

  private static void annotate(KubernetesClient client, String secret, String protect) {
    client.secrets().inNamespace(Resources.NS).withName(secret).edit(s -> {
      if (protect == null) {
        s.getMetadata().getAnnotations().remove(CredentialGuard.OPT_OUT);
      } else {
        s.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(CredentialGuard.OPT_OUT, protect)));
      }
      return s;
    });
  }
}

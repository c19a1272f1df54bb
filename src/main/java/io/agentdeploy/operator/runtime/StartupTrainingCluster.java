package io.agentdeploy.operator.runtime;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.simulator.Simulator;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster for training the start-up archive on the operator's own start path: the embedded
 * Kubernetes API (over TLS, as a real one) and the simulator in this process, the operator
 * ({@code run}, as in production) in another one. The scripts start that one configured as a pod
 * is (service host and port, a token file; no kubeconfig), from the server URL in the kubeconfig
 * written here: the archive then holds the classes of the path a pod takes, and the start-up
 * measurement times it. Holds a LangSmith ControlPlane aimed at
 * the simulator and an AgentDeployment, so the operator connects, syncs its informers and
 * reconciles through to a remote create. Serves until its stdin closes. Used by
 * scripts/train-cds.sh (the image build and the startup measurement); needs lib/demo/.
 */
public final class StartupTrainingCluster {
  /** Printed once the cluster and its resources are in place. */
  public static final String READY = "TRAINING-CLUSTER-READY";
  private static final String NAMESPACE = "agents";
  private static final List<String> EXAMPLES = List.of("controlplane-langsmith-self-hosted.yaml",
      "langsmith-docker.yaml");

  private StartupTrainingCluster() {}

  /** args[0]: where to write the kubeconfig. */
  public static void main(String[] args) throws IOException {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults());
        EmbeddedKubernetes kube = EmbeddedKubernetes.startTls()) {
      Files.writeString(Path.of(args[0]), kubeconfig(kube.url()));
      populate(kube.client(), sim.baseUrl());
      System.out.println(READY);
      System.out.flush();
      while (System.in.read() >= 0) {
        // Serve until the script closes stdin.
      }
    }
  }

  private static void populate(KubernetesClient client, String simulatorUrl) throws IOException {
    for (HasMetadata m : examples()) {
      if (m instanceof ControlPlane cp) {
        cp.getSpec().setBaseUrl(simulatorUrl + cp.getSpec().getBaseUrl().replaceFirst("^https?://[^/]+", ""));
        // The key Secret is made here, not taken from the examples (they need not carry one).
        client.resource(new SecretBuilder().withNewMetadata().withName(cp.getSpec().getApiKeySecretRef().getName())
            .withNamespace(NAMESPACE).endMetadata()
            .addToStringData(cp.getSpec().getApiKeySecretRef().getKey(), "training-key").build()).create();
        client.resource(cp).create();
      }
    }
    for (HasMetadata m : examples()) {
      if (m instanceof AgentDeployment) {
        client.resource(m).create();
      }
    }
  }

  private static List<HasMetadata> examples() throws IOException {
    List<HasMetadata> all = new ArrayList<>();
    for (String name : EXAMPLES) {
      try (InputStream in = StartupTrainingCluster.class.getClassLoader().getResourceAsStream("examples/" + name)) {
        if (in == null) {
          throw new IOException("example " + name + " is not packaged in the jar");
        }
        all.addAll(Manifests.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return all.stream().filter(m -> m instanceof ControlPlane || m instanceof AgentDeployment).toList();
  }

  private static String kubeconfig(String url) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: training
            cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
          - name: training
            user: {token: training}
        contexts:
          - name: training
            context: {cluster: training, user: training, namespace: %s}
        current-context: training
        """.formatted(url, NAMESPACE);
  }
}

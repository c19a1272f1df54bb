package io.agentdeploy.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.runtime.ClusterPreflight.Problem;
import io.agentdeploy.operator.runtime.ClusterPreflight.Reason;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The three ways a start goes wrong before any reconcile, each found and named in one line. */
class ClusterPreflightTest {
  static Config closedPort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:" + port).withTrustCerts(true).build();
  }

  @Test
  void anUnreachableApiServerIsNamedWithItsCause() throws Exception {
    Config config = closedPort();
    Optional<Problem> problem = ClusterPreflight.check(config, true);
    assertEquals(Reason.UNREACHABLE, problem.orElseThrow().reason());
    String line = problem.get().message();
    assertTrue(line.contains(config.getMasterUrl()) && line.contains("connection refused")
        && line.contains("kubectl cluster-info"), line);
    assertEquals(1, line.lines().count(), line);
  }

  @Test
  void missingCrdsAreListedWithTheCommandThatInstallsThem() {
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.startWithoutCrds()) {
      Problem problem = ClusterPreflight.check(kube.client().getConfiguration(), true).orElseThrow();
      assertEquals(Reason.CRDS_MISSING, problem.reason());
      assertTrue(problem.message().contains("missing: agentdeployments, controlplanes, clustercontrolplanes")
          && problem.message().contains("kubectl apply --server-side -f crds/"), problem.message());
    }
  }

  @Test
  void installedCrdsPass() {
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start()) {
      assertEquals(Optional.empty(), ClusterPreflight.check(kube.client().getConfiguration(), true));
    }
  }
}

package io.agentdeploy.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A start that cannot work says so in one line and exits, in a real JVM as a user starts it
 * (stdout and stderr together): no cluster, or a cluster without the CRDs. Before, each was hundreds
 * of lines of informer stack traces.
 */
class StartupErrorsTest {
  /** Runs {@code Main run} against the API server at {@code url}; returns exit code and every line printed. */
  private static Result operatorAgainst(String url, Path dir) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]
        current-context: c
        """.formatted(url));
    Path output = dir.resolve("output");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--http-port=0")
        .redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("AGENTDEPLOY_") || k.startsWith("KUBERNETES_"));
    Process process = pb.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the operator did not exit");
    return new Result(process.exitValue(), Files.readAllLines(output, StandardCharsets.UTF_8));
  }

  private record Result(int exitCode, List<String> lines) {}

  @Test
  void noReachableClusterIsOneLineAndExitCode3() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result result = operatorAgainst("https://127.0.0.1:" + port, Files.createTempDirectory("start"));
    assertEquals(1, result.lines().size(), String.join("\n", result.lines()));
    assertEquals(RunCommand.CLUSTER_NOT_READY, result.exitCode());
    assertTrue(result.lines().get(0).startsWith("error: cannot reach the Kubernetes API server at https://127.0.0.1:"
        + port + "/ (connection refused): check KUBECONFIG"), result.lines().get(0));
  }

  @Test
  void missingCrdsAreOneLineWithTheInstallCommand() throws Exception {
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.startWithoutCrds()) {
      Result result = operatorAgainst(kube.url(), Files.createTempDirectory("start"));
      assertEquals(1, result.lines().size(), String.join("\n", result.lines()));
      assertEquals(RunCommand.CLUSTER_NOT_READY, result.exitCode());
      assertTrue(result.lines().get(0).startsWith("error: the agentdeploy.io/v1alpha1 CRDs are not installed")
          && result.lines().get(0).contains("kubectl apply --server-side -f crds/"), result.lines().get(0));
    }
  }
}

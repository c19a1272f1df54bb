package io.agentdeploy.operator.lifecycle;

import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded Kubernetes API in a JVM of its own, so that a test measures the heap of the
 * operator alone (in process, the mock server's copy of every object would be counted too).
 * The child stops when this closes or when the test JVM dies (its stdin closes).
 */
final class ForkedKubernetes implements AutoCloseable {
  private static final String READY = "EMBEDDED-KUBERNETES-URL ";

  private final Process process;
  private final String url;

  private ForkedKubernetes(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  static ForkedKubernetes start() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        ForkedKubernetes.class.getName())).redirectErrorStream(true);
    try {
      Process process = builder.start();
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith(READY)) {
        // Start-up logging of the child.
      }
      if (line == null) {
        throw new IllegalStateException("the forked Kubernetes API exited before it was ready");
      }
      Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "forked-kubernetes-output");
      drain.setDaemon(true);
      drain.start();
      return new ForkedKubernetes(process, line.substring(READY.length()).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(url)
        .withTrustCerts(true).withNamespace("default").withHttp2Disable(true).build()).build();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The child: serves the API until its stdin closes. */
  public static void main(String[] args) throws IOException {
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start()) {
      System.out.println(READY + kube.url());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Wait for the parent to go away.
      }
    }
  }
}

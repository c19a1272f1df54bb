package io.agentdeploy.operator.benchmark;

import io.agentdeploy.operator.runtime.EmbeddedKubernetes;
import java.io.IOException;

/**
 * The benchmark's Kubernetes API: the fabric8 mock server with the CRDs, in a JVM of its own so its
 * CPU and memory are counted apart from the operator's. Serves until its stdin closes (the
 * benchmark closed it or died).
 */
public final class MockApiServerMain {
  static final String READY = "MOCK-API-URL ";

  private MockApiServerMain() {}

  public static void main(String[] args) throws IOException {
    io.agentdeploy.operator.config.LogSetup.quiet();
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start()) {
      System.out.println(READY + kube.url());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Nothing comes in: the read returns when the parent goes away.
      }
    }
  }
}

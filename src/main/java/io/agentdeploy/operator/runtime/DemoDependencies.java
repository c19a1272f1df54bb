package io.agentdeploy.operator.runtime;

/**
 * Whether the demo's embedded Kubernetes API (the fabric8 mock server, vert.x, netty) is on the
 * class path. The build puts those jars in lib/demo/, which the production image leaves out, so
 * that they never show up in its CVE scans; in the image `demo` says so in one line instead of
 * failing with a NoClassDefFoundError.
 */
public final class DemoDependencies {
  /** One line for a person who ran {@code demo} from the image. */
  public static final String MISSING = "demo is not in this image (its embedded API server is left out of "
      + "production images); run it from a clone: java -jar target/agent-deployment-operator.jar demo";

  private static final String MOCK_SERVER = "io/fabric8/kubernetes/client/server/mock/KubernetesMockServer.class";
  private static final String VERTX = "io/vertx/core/Vertx.class";

  private DemoDependencies() {}

  /** Looks the classes up as resources: nothing is loaded, so nothing fails half-way. */
  public static boolean present() {
    ClassLoader loader = DemoDependencies.class.getClassLoader();
    return loader.getResource(MOCK_SERVER) != null && loader.getResource(VERTX) != null;
  }
}

package io.agentdeploy.operator.runtime;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * A Kubernetes API on loopback (the fabric8 mock server in CRUD mode) with this operator's CRDs
 * installed, for the demo and the tests. It keeps objects, generations, status subresources,
 * finalizers and watches; it does not validate schemas or CEL rules (see TOOLING.md).
 */
public final class EmbeddedKubernetes implements AutoCloseable {
  /** The generated CRDs, as packaged by the fabric8 CRD generator. */
  public static final List<String> CRD_RESOURCES = List.of(
      "META-INF/fabric8/agentdeployments.agentdeploy.io-v1.yml",
      "META-INF/fabric8/controlplanes.agentdeploy.io-v1.yml",
      "META-INF/fabric8/clustercontrolplanes.agentdeploy.io-v1.yml");

  /** Held so the setting is not lost to garbage collection: the mock server logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private EmbeddedKubernetes(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  public static EmbeddedKubernetes start() {
    return start(CRD_RESOURCES, false);
  }

  /**
   * Served over TLS (a self-signed certificate), as a real API server is: for a client configured
   * the way a pod is (service host and port, a token, https), which the start-up training uses.
   */
  public static EmbeddedKubernetes startTls() {
    return start(CRD_RESOURCES, true);
  }

  /** An API server without this operator's CRDs, as a cluster before the install. */
  public static EmbeddedKubernetes startWithoutCrds() {
    return start(List.of(), false);
  }

  private static EmbeddedKubernetes start(List<String> crds, boolean tls) {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    // Mixed mode: CRUD for everything, plus the few canned answers the CRUD mode cannot give.
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), tls);
    server.init(InetAddress.getLoopbackAddress(), 0);
    KubernetesClient client = server.createClient();
    for (String crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().resource(load(crd)).create();
    }
    grantLeaseAccess(server);
    return new EmbeddedKubernetes(server, client);
  }

  /**
   * JOSDK checks with a SelfSubjectRulesReview that it may use Leases before it starts leader
   * election; the CRUD mock cannot answer that, so it gets a review granting the Lease verbs.
   */
  private static void grantLeaseAccess(KubernetesMockServer server) {
    SelfSubjectRulesReview review = new SelfSubjectRulesReviewBuilder().withNewStatus()
        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
        .withVerbs("get", "create", "update", "patch", "list", "watch").endResourceRule()
        .withIncomplete(false).endStatus().build();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, review).always();
  }

  /** The API server URL, e.g. for a kubeconfig handed to another process. */
  public String url() {
    return client.getMasterUrl().toString();
  }

  static CustomResourceDefinition load(String resource) {
    try (InputStream in = EmbeddedKubernetes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + resource + " is not on the classpath; build with ./mvnw package");
      }
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client owned by this server; closed with it. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * The mock server, for a test that scripts an answer a real API server gives and the mock does
   * not (it never refuses a stale status write with a conflict).
   */
  public KubernetesMockServer server() {
    return server;
  }

  /** A fresh client for another component (e.g. a second operator instance). */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}

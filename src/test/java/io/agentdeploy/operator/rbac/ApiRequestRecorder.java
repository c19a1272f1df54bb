package io.agentdeploy.operator.rbac;

import io.agentdeploy.operator.lifecycle.InterceptedClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Sees every request a Kubernetes client sends, before it leaves: plain calls, informers' list and
 * watch (watches are WebSocket upgrades, which go through the same interceptors) and JOSDK's
 * finalizer patches. Installed only on the operator's client, so the test's own requests are not
 * counted.
 */
public final class ApiRequestRecorder implements Interceptor {
  /** One request as the client sent it. */
  public record Sent(String method, URI uri) { }

  private final List<Sent> sent = new ArrayList<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    synchronized (sent) {
      sent.add(new Sent(request.method(), request.uri()));
    }
  }

  public List<Sent> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  /** A client for the same API server as {@code template}, recording through this interceptor. */
  public KubernetesClient clientLike(KubernetesClient template) {
    return InterceptedClient.like(template, "rbac-recorder", this);
  }
}

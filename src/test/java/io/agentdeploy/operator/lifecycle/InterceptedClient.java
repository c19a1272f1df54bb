package io.agentdeploy.operator.lifecycle;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;

/** A Kubernetes client like another, whose every request also passes an interceptor of the test's. */
public final class InterceptedClient {
  private InterceptedClient() {
  }

  /** Closes {@code template} (only its configuration is kept) and returns the intercepted client. */
  public static KubernetesClient like(KubernetesClient template, String name, Interceptor interceptor) {
    Config config = template.getConfiguration();
    template.close();
    return new KubernetesClientBuilder().withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(name, interceptor)).build();
  }
}

package io.agentdeploy.operator.remote.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP client per trust configuration: the JVM's trust alone, or with one CA bundle. A
 * rotated bundle has a new fingerprint and so a new client; a client whose bundle no control
 * plane has used for an hour is dropped (the JDK client frees its connections once unreferenced).
 */
final class HttpClients {
  private static final Duration UNUSED = Duration.ofHours(1);

  private record Entry(HttpClient client, long lastUsedNanos) {}

  private final HttpClient.Builder template;
  private final HttpClient jvmTrust;
  private final Map<String, Entry> withBundle = new ConcurrentHashMap<>();

  HttpClients(Duration connectTimeout, ProxyRoutes routes) {
    // Only the settings shared by every client; each gets its own TLS context.
    this.template = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
        .proxy(routes);
    this.jvmTrust = build(null);
  }

  HttpClient forTrust(TrustBundle bundle) {
    if (bundle == null) {
      return jvmTrust;
    }
    long now = System.nanoTime();
    Entry entry = withBundle.compute(bundle.fingerprint(), (k, e) -> new Entry(e != null ? e.client() : build(bundle), now));
    withBundle.values().removeIf(e -> now - e.lastUsedNanos() > UNUSED.toNanos());
    return entry.client();
  }

  private synchronized HttpClient build(TrustBundle bundle) {
    if (bundle != null) {
      template.sslContext(bundle.sslContext());
    } else {
      try {
        template.sslContext(javax.net.ssl.SSLContext.getDefault());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return template.build();
  }

  int size() {
    return withBundle.size();
  }
}

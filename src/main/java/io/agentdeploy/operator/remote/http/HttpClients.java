package io.agentdeploy.operator.remote.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One HTTP client per trust configuration: the JVM's trust alone, or with one CA bundle. Control
 * planes whose bundles hold the same certificates share a client (and its connections); a
 * rotated bundle has a new fingerprint and so a new client. A client whose bundle no control
 * plane has used for an hour is dropped: Java 17's client has no close, it ends its connections
 * once unreferenced. The client of the JVM's trust is never dropped.
 */
final class HttpClients {
  static final Duration UNUSED = Duration.ofHours(1);

  private record Entry(HttpClient client, long lastUsedNanos) {}

  private final HttpClient.Builder template;
  private final HttpClient jvmTrust;
  private final Map<String, Entry> withBundle = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  HttpClients(Duration connectTimeout, ProxyRoutes routes) {
    this(connectTimeout, routes, System::nanoTime);
  }

  /** @param nanoTime the clock of "unused for an hour", as {@link System#nanoTime()} */
  HttpClients(Duration connectTimeout, ProxyRoutes routes, LongSupplier nanoTime) {
    // Only the settings shared by every client; each gets its own TLS context.
    this.template = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
        .proxy(routes);
    this.nanoTime = nanoTime;
    this.jvmTrust = build(null);
  }

  HttpClient forTrust(TrustBundle bundle) {
    if (bundle == null) {
      return jvmTrust;
    }
    long now = nanoTime.getAsLong();
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

  /** How many clients with a bundle are kept (the JVM's trust not counted). */
  int size() {
    return withBundle.size();
  }
}

package io.agentdeploy.operator.remote.http;

import java.util.Map;
import java.util.Set;

/**
 * One remote account as the transport sees it.
 *
 * @param provider provider name for metrics and logs
 * @param baseUrl the URL prefix, as the operator's base-URL policy allowed it
 * @param authHeaders headers sent on every request; their values are always redacted
 * @param bucket the account's shared rate limiter
 * @param trust CA certificates trusted for this control plane besides the JVM's, or null
 */
public record Endpoint(String provider, AllowedBaseUrl baseUrl, Map<String, String> authHeaders, TokenBucket bucket,
    TrustBundle trust) {
  public Endpoint {
    java.util.Objects.requireNonNull(baseUrl, "baseUrl");
    authHeaders = Map.copyOf(authHeaders);
  }

  /** An endpoint trusted by the JVM's CAs alone. */
  public Endpoint(String provider, AllowedBaseUrl baseUrl, Map<String, String> authHeaders, TokenBucket bucket) {
    this(provider, baseUrl, authHeaders, bucket, null);
  }

  /**
   * What identifies this endpoint's account as far as sharing goes (one bulk delete, one proof that
   * the key works): the URL, the credentials and the trust, not the rate limiter.
   */
  public Credentials credentials() {
    return new Credentials(baseUrl.text(), authHeaders, trust == null ? null : trust.fingerprint());
  }

  /** See {@link #credentials()}; printed without the headers, which carry the API key. */
  public record Credentials(String baseUrl, Map<String, String> authHeaders, String trust) {
    @Override
    public String toString() {
      return baseUrl;
    }
  }

  Set<String> secretHeaderValues() {
    return Set.copyOf(authHeaders.values());
  }

  @Override
  public String toString() {
    return "Endpoint[" + provider + " " + baseUrl + "]";
  }
}

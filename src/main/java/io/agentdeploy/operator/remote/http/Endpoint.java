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
 */
public record Endpoint(String provider, AllowedBaseUrl baseUrl, Map<String, String> authHeaders, TokenBucket bucket) {
  public Endpoint {
    java.util.Objects.requireNonNull(baseUrl, "baseUrl");
    authHeaders = Map.copyOf(authHeaders);
  }

  Set<String> secretHeaderValues() {
    return Set.copyOf(authHeaders.values());
  }

  @Override
  public String toString() {
    return "Endpoint[" + provider + " " + baseUrl + "]";
  }
}

package io.agentdeploy.operator.remote.http;

/** One remote account: requests to it share one rate limiter, whichever resource sends them. */
public record AccountKey(String baseUrl, String tenant) {
  public AccountKey {
    baseUrl = baseUrl.replaceAll("/+$", "");
    tenant = tenant == null ? "" : tenant;
  }
}

package io.agentdeploy.operator.remote;

import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.RateLimit;
import io.agentdeploy.operator.remote.http.AccountKey;
import io.agentdeploy.operator.remote.http.Endpoint;
import io.agentdeploy.operator.remote.http.HttpTransport;
import io.agentdeploy.operator.remote.http.RateLimiters;
import io.agentdeploy.operator.remote.agentex.AgentexClient;
import io.agentdeploy.operator.remote.langsmith.LangSmithClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the client for a control plane. Clients are cheap; what must be shared (the HTTP client
 * and one rate limiter per account) lives in the transport and the limiter registry.
 */
public final class RemoteClients {
  private final HttpTransport transport;
  private final RateLimiters limiters;
  private final double defaultRequestsPerSecond;
  private final int defaultBurst;

  public RemoteClients(HttpTransport transport, RateLimiters limiters, double defaultRequestsPerSecond,
      int defaultBurst) {
    this.transport = transport;
    this.limiters = limiters;
    this.defaultRequestsPerSecond = defaultRequestsPerSecond;
    this.defaultBurst = defaultBurst;
  }

  public RemoteDeploymentClient clientFor(ControlPlaneSpec spec, String apiKey) {
    RateLimit limit = spec.getRateLimit();
    double rate = limit != null && limit.getRequestsPerSecond() != null ? limit.getRequestsPerSecond()
        : defaultRequestsPerSecond;
    int burst = limit != null && limit.getBurst() != null ? limit.getBurst() : defaultBurst;
    AccountKey account = new AccountKey(spec.getBaseUrl(), spec.getTenantId());  // LangSmith: base URL + tenant
    return switch (spec.getProvider()) {
      case LANGSMITH -> {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Api-Key", apiKey);
        if (spec.getTenantId() != null) {
          headers.put("X-Tenant-Id", spec.getTenantId());
        }
        yield new LangSmithClient(transport, new Endpoint(spec.getProvider().wireName(), spec.getBaseUrl(), headers,
            limiters.bucketFor(account, rate, burst)));
      }
      case AGENTEX -> {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", apiKey);
        if (spec.getAccountId() != null) {
          headers.put("x-selected-account-id", spec.getAccountId());
        }
        yield new AgentexClient(transport, new Endpoint(spec.getProvider().wireName(), spec.getBaseUrl(), headers,
            limiters.bucketFor(new AccountKey(spec.getBaseUrl(), spec.getAccountId()), rate, burst)));
      }
    };
  }
}

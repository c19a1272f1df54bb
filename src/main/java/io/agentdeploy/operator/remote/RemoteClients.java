package io.agentdeploy.operator.remote;

import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.Provider;
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
    // An account is the base URL plus the LangSmith tenant or the Agentex account; each has one limiter.
    boolean langsmith = spec.getProvider() == Provider.LANGSMITH;
    String account = langsmith ? spec.getTenantId() : spec.getAccountId();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(langsmith ? "X-Api-Key" : "x-api-key", apiKey);
    if (account != null) {
      headers.put(langsmith ? "X-Tenant-Id" : "x-selected-account-id", account);
    }
    Endpoint endpoint = new Endpoint(spec.getProvider().wireName(), spec.getBaseUrl(), headers,
        limiters.bucketFor(new AccountKey(spec.getBaseUrl(), account), rate, burst));
    return switch (spec.getProvider()) {
      case LANGSMITH -> new LangSmithClient(transport, endpoint);
      case AGENTEX -> new AgentexClient(transport, endpoint);
    };
  }
}

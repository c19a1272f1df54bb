package io.agentdeploy.operator.remote;

import io.agentdeploy.operator.api.AgentDeploymentSpec;
import io.agentdeploy.operator.api.ControlPlaneSpec;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.RateLimit;
import io.agentdeploy.operator.remote.agentex.AgentexAdapter;
import io.agentdeploy.operator.remote.http.AllowedBaseUrl;
import io.agentdeploy.operator.remote.http.BaseUrlPolicy;
import io.agentdeploy.operator.remote.http.Endpoint;
import io.agentdeploy.operator.remote.http.HttpTransport;
import io.agentdeploy.operator.remote.http.InvalidTrustBundle;
import io.agentdeploy.operator.remote.http.TrustBundle;
import io.agentdeploy.operator.remote.http.RateLimiters;
import io.agentdeploy.operator.remote.langsmith.LangSmithAdapter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry to the provider port: which adapter serves a spec, its desired state, and the client
 * for a control plane. Clients are cheap; what must be shared (the HTTP client and one rate
 * limiter per account) lives in the transport and the limiter registry. Every client, whatever
 * kind of control plane it serves and whatever it is for (a check, a create, a delete), is made by
 * {@link #clientFor}, which applies the operator's {@link BaseUrlPolicy} first and hands the client
 * out as a {@link ClassifiedClient}: whatever fails in it is a {@link RemoteException}.
 */
public final class RemoteClients {
  private final HttpTransport transport;
  private final RateLimiters limiters;
  private final BaseUrlPolicy policy;
  private final double defaultRequestsPerSecond;
  private final int defaultBurst;
  private final Map<Provider, ProviderAdapter> adapters = new EnumMap<>(Provider.class);
  private final StateHasher hasher;

  /** @param hasher keys every desired-state hash (the operator's own key, see {@link StateHasher}) */
  public RemoteClients(HttpTransport transport, RateLimiters limiters, BaseUrlPolicy policy,
      double defaultRequestsPerSecond, int defaultBurst, StateHasher hasher) {
    this(transport, limiters, policy, defaultRequestsPerSecond, defaultBurst, hasher,
        io.agentdeploy.operator.remote.langsmith.BulkDeletes.DEFAULT_WINDOW);
  }

  /** @param deleteBatchWindow how long LangSmith deletes of one account are gathered into one bulk call */
  public RemoteClients(HttpTransport transport, RateLimiters limiters, BaseUrlPolicy policy,
      double defaultRequestsPerSecond, int defaultBurst, StateHasher hasher, java.time.Duration deleteBatchWindow) {
    this.hasher = hasher;
    this.transport = transport;
    this.limiters = limiters;
    this.policy = policy;
    this.defaultRequestsPerSecond = defaultRequestsPerSecond;
    this.defaultBurst = defaultBurst;
    for (ProviderAdapter adapter : List.of(new LangSmithAdapter(
        new io.agentdeploy.operator.remote.langsmith.BulkDeletes(deleteBatchWindow)), new AgentexAdapter())) {
      adapters.put(adapter.provider(), adapter);
    }
  }

  /** The provider a spec asks for: the one provider block it sets. */
  public static Provider providerOf(AgentDeploymentSpec spec) throws SpecProblem {
    if (spec.getAgentex() != null) {
      return Provider.AGENTEX;
    }
    if (spec.getLangsmith() != null) {
      return Provider.LANGSMITH;
    }
    throw new SpecProblem("InvalidSpec", "one of spec.langsmith and spec.agentex is required");
  }

  /**
   * The adapter of the provider block a spec sets; for a spec that sets none (refused by
   * {@link #providerOf} when it is resolved) the default provider's, so indexes and messages
   * still have one.
   */
  public ProviderAdapter adapterFor(AgentDeploymentSpec spec) {
    return adapter(spec != null && spec.getAgentex() != null ? Provider.AGENTEX : Provider.LANGSMITH);
  }

  public ProviderAdapter adapter(Provider provider) {
    return adapters.get(provider);
  }

  /** The spec's desired state with every Secret and ConfigMap reference resolved, its hashes keyed. */
  public DesiredDeployment desiredState(AgentDeploymentSpec spec, SpecInputs inputs) throws SpecProblem {
    return adapter(providerOf(spec)).desiredState(spec, inputs, hasher);
  }

  /** The hasher of {@link #desiredState}: its key id is what status.hashKeyId records. */
  public StateHasher hasher() {
    return hasher;
  }

  /** The account a control plane's settings and key address (see {@link AccountKey}). */
  public static AccountKey accountOf(ControlPlaneSpec spec, String apiKey) {
    return AccountKey.of(spec.getBaseUrl(), spec.getProvider() == Provider.LANGSMITH ? spec.getTenantId()
        : spec.getAccountId(), apiKey);
  }

  /**
   * The client for a control plane's account.
   *
   * @throws SpecProblem {@code InvalidBaseUrl}, {@code InsecureBaseUrl} or {@code BaseUrlNotAllowed}
   *     when the policy refuses the base URL: then nothing at all is sent there
   */
  public RemoteDeploymentClient clientFor(ControlPlaneSpec spec, String apiKey) throws SpecProblem {
    return clientFor(spec, apiKey, null, null);
  }

  /**
   * {@link #clientFor(ControlPlaneSpec, String)} for a named control plane.
   *
   * @param limitOwner the control plane whose spec this is ("namespace/name", or "name" for a
   *     cluster-scoped one): the account's shared limit records it as the one that asked for its limit
   */
  public RemoteDeploymentClient clientFor(ControlPlaneSpec spec, String apiKey, String limitOwner)
      throws SpecProblem {
    return clientFor(spec, apiKey, limitOwner, null);
  }

  /**
   * {@link #clientFor(ControlPlaneSpec, String, String)}, trusting {@code caBundle} besides the JVM's CAs.
   *
   * @param caBundle the control plane's own CA certificates (spec.caBundle), or null
   */
  public RemoteDeploymentClient clientFor(ControlPlaneSpec spec, String apiKey, String limitOwner,
      TrustBundle caBundle)
      throws SpecProblem {
    AllowedBaseUrl baseUrl = allowed(spec.getBaseUrl());
    RateLimit limit = spec.getRateLimit();
    double rate = limit != null && limit.getRequestsPerSecond() != null ? limit.getRequestsPerSecond()
        : defaultRequestsPerSecond;
    int burst = limit != null && limit.getBurst() != null ? limit.getBurst() : defaultBurst;
    ProviderAdapter adapter = adapter(spec.getProvider());
    AccountKey account = accountOf(spec, apiKey);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(adapter.apiKeyHeader(), HeaderValues.require(apiKey, "the API key in its Secret"));
    if (account.explicitTenant()) {
      headers.put(adapter.accountHeader(), HeaderValues.require(account.tenant(), "spec." + (spec.getProvider()
          == io.agentdeploy.operator.api.Provider.AGENTEX ? "accountId" : "tenantId")));
    }
    // An account is the base URL plus the LangSmith tenant or the Agentex account; each has one limiter.
    Endpoint endpoint = new Endpoint(spec.getProvider().wireName(), baseUrl, headers,
        limiters.bucketFor(account, rate, burst, limitOwner), caBundle);
    return new ClassifiedClient(adapter.client(transport, endpoint), spec.getProvider().wireName());
  }

  /** The limit applied now to the account of this control plane and key, and who set it. */
  public java.util.Optional<io.agentdeploy.operator.remote.http.EffectiveLimit> effectiveLimit(ControlPlaneSpec spec,
      String apiKey) {
    return limiters.effective(accountOf(spec, apiKey));
  }

  /** The shared rate limiters (to follow limit changes or drop a deleted control plane's ask). */
  public RateLimiters limiters() {
    return limiters;
  }

  /**
   * A CA bundle read from its PEM text.
   *
   * @param source how messages name where it came from
   * @throws SpecProblem {@code InvalidCaBundle} saying what is wrong with it
   */
  public static TrustBundle trustBundle(String pem, String source) throws SpecProblem {
    try {
      return TrustBundle.parse(pem, source);
    } catch (InvalidTrustBundle e) {
      throw new SpecProblem("InvalidCaBundle", e.getMessage() + "; nothing is sent to the control plane until it is fixed");
    }
  }

  private AllowedBaseUrl allowed(String baseUrl) throws SpecProblem {
    BaseUrlPolicy.Verdict verdict = policy.check(baseUrl);
    if (verdict instanceof BaseUrlPolicy.Refused refused) {
      throw new SpecProblem(refused.reason(), refused.message());
    }
    return verdict.orElseThrow();
  }
}

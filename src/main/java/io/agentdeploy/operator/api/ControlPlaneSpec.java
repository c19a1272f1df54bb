package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a remote control plane is and how to authenticate to it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControlPlaneSpec {
  @Required
  @ValidationRule(value = "self == oldSelf", message = "provider is immutable: create another ControlPlane instead")
  @JsonPropertyDescription("Kind of control plane: langsmith (LangSmith Deployment Control Plane API v2) or agentex "
      + "(Scale GP Agentex v5 deployments, e.g. https://api.egp.scale.com).")
  private Provider provider;

  @Required
  @Size(min = 1, max = 2048)
  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription("Base URL of the API without the version path, e.g. https://api.host.langchain.com, "
      + "https://eu.api.host.langchain.com, or https://langsmith.example.com/api-host for self-hosted LangSmith.")
  private String baseUrl;

  @Required
  @JsonPropertyDescription("Secret key holding the API key: in the ControlPlane's namespace, or for a "
      + "ClusterControlPlane in the operator's namespace. The Secret is read by the operator and never copied anywhere.")
  private SecretKeySelector apiKeySecretRef;

  @Size(max = 64)
  @JsonPropertyDescription("LangSmith workspace (tenant) id, sent as X-Tenant-Id.")
  private String tenantId;

  @Size(max = 128)
  @JsonPropertyDescription("Agentex account id, sent as x-selected-account-id.")
  private String accountId;

  @JsonPropertyDescription("Client-side request rate limit shared by every resource that uses this account "
      + "(base URL plus tenant). Defaults to the operator's configured default. When several control planes name "
      + "one account with different limits, the lowest rate and the lowest burst apply.")
  private RateLimit rateLimit;

  @JsonPropertyDescription("CA certificates (PEM) trusted for this control plane in addition to the JVM's: a private "
      + "CA of a self-hosted install. A ConfigMap or Secret key in the ControlPlane's namespace, or for a "
      + "ClusterControlPlane in the operator's namespace. A change is picked up at the next call.")
  private CaBundleSource caBundle;

  public Provider getProvider() { return provider; }
  public void setProvider(Provider provider) { this.provider = provider; }
  public String getBaseUrl() { return baseUrl; }
  public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
  public SecretKeySelector getApiKeySecretRef() { return apiKeySecretRef; }
  public void setApiKeySecretRef(SecretKeySelector apiKeySecretRef) { this.apiKeySecretRef = apiKeySecretRef; }
  public String getTenantId() { return tenantId; }
  public void setTenantId(String tenantId) { this.tenantId = tenantId; }
  public String getAccountId() { return accountId; }
  public void setAccountId(String accountId) { this.accountId = accountId; }
  public RateLimit getRateLimit() { return rateLimit; }
  public void setRateLimit(RateLimit rateLimit) { this.rateLimit = rateLimit; }
  public CaBundleSource getCaBundle() { return caBundle; }
  public void setCaBundle(CaBundleSource caBundle) { this.caBundle = caBundle; }
}

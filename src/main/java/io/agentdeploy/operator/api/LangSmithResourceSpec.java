package io.agentdeploy.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Sizing and pod customisation of a LangSmith external_docker deployment (API: resource_spec).
 * The wire name of each field is its snake_case form; see {@code LangSmithMapper}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LangSmithResourceSpec {

  @Min(0)
  @JsonPropertyDescription("Minimum API-server replicas.")
  private Integer minScale;

  @Min(0)
  @JsonPropertyDescription("Maximum API-server replicas.")
  private Integer maxScale;

  @Min(0.1)
  @Max(8)
  @JsonPropertyDescription("CPU request (cores) per API-server replica, 0.1 to 8.")
  private Double cpu;

  @Min(0.1)
  @Max(16)
  @JsonPropertyDescription("CPU limit (cores) per API-server replica, 0.1 to 16. Defaults to twice the request.")
  private Double cpuLimit;

  @Min(1)
  @JsonPropertyDescription("Memory request (MB) per API-server replica.")
  private Integer memoryMb;

  @Min(1)
  @JsonPropertyDescription("Memory limit (MB) per API-server replica.")
  private Integer memoryLimitMb;

  @Min(0)
  @JsonPropertyDescription("Minimum queue-worker replicas.")
  private Integer queueMinScale;

  @Min(0)
  @JsonPropertyDescription("Maximum queue-worker replicas.")
  private Integer queueMaxScale;

  @Min(0.1)
  @Max(8)
  @JsonPropertyDescription("CPU request (cores) per queue-worker replica, 0.1 to 8.")
  private Double queueCpu;

  @Min(0.1)
  @Max(16)
  @JsonPropertyDescription("CPU limit (cores) per queue-worker replica, 0.1 to 16.")
  private Double queueCpuLimit;

  @Min(1)
  @JsonPropertyDescription("Memory request (MB) per queue-worker replica.")
  private Integer queueMemoryMb;

  @Min(1)
  @JsonPropertyDescription("Memory limit (MB) per queue-worker replica.")
  private Integer queueMemoryLimitMb;

  @Min(0.1)
  @Max(8)
  @JsonPropertyDescription("CPU request (cores) of the Redis instance, 0.1 to 8.")
  private Double redisCpu;

  @Min(0.1)
  @Max(16)
  @JsonPropertyDescription("CPU limit (cores) of the Redis instance, 0.1 to 16.")
  private Double redisCpuLimit;

  @Min(1)
  @JsonPropertyDescription("Memory request (MB) of the Redis instance.")
  private Integer redisMemoryMb;

  @Min(1)
  @JsonPropertyDescription("Memory limit (MB) of the Redis instance.")
  private Integer redisMemoryLimitMb;

  @JsonPropertyDescription("CPU request (cores) of the Postgres instance.")
  private Double dbCpu;

  @JsonPropertyDescription("CPU limit (cores) of the Postgres instance.")
  private Double dbCpuLimit;

  @Min(1)
  @JsonPropertyDescription("Memory request (MB) of the Postgres instance.")
  private Integer dbMemoryMb;

  @Min(1)
  @JsonPropertyDescription("Memory limit (MB) of the Postgres instance.")
  private Integer dbMemoryLimitMb;

  @Min(1)
  @JsonPropertyDescription("Postgres storage in GiB.")
  private Integer dbStorageGi;

  @Min(1)
  @JsonPropertyDescription("Postgres max_connections.")
  private Integer dbMaxConnections;

  @JsonPropertyDescription("Extra labels on the deployment's Kubernetes resources.")
  private Map<String, String> labels;

  @JsonPropertyDescription("Extra annotations on the deployment's Kubernetes resources.")
  private Map<String, String> annotations;

  @JsonPropertyDescription("Existing ServiceAccount in the target namespace to run the pods as.")
  private String serviceAccountName;

  @JsonPropertyDescription("Image pull Secrets (kubernetes.io/dockerconfigjson) in the target namespace.")
  private List<ObjectName> imagePullSecrets;

  @JsonPropertyDescription("Pod volumes, as in a Pod spec.")
  private List<JsonNode> volumes;

  @JsonPropertyDescription("Volume mounts of the main container, as in a Pod spec.")
  private List<JsonNode> volumeMounts;

  @JsonPropertyDescription("Extra init containers, as in a Pod spec.")
  private List<JsonNode> initContainers;

  @JsonPropertyDescription("Extra containers next to the agent server, as in a Pod spec.")
  private List<JsonNode> sidecars;

  public Integer getMinScale() { return minScale; }
  public void setMinScale(Integer minScale) { this.minScale = minScale; }
  public Integer getMaxScale() { return maxScale; }
  public void setMaxScale(Integer maxScale) { this.maxScale = maxScale; }
  public Double getCpu() { return cpu; }
  public void setCpu(Double cpu) { this.cpu = cpu; }
  public Double getCpuLimit() { return cpuLimit; }
  public void setCpuLimit(Double cpuLimit) { this.cpuLimit = cpuLimit; }
  public Integer getMemoryMb() { return memoryMb; }
  public void setMemoryMb(Integer memoryMb) { this.memoryMb = memoryMb; }
  public Integer getMemoryLimitMb() { return memoryLimitMb; }
  public void setMemoryLimitMb(Integer memoryLimitMb) { this.memoryLimitMb = memoryLimitMb; }
  public Integer getQueueMinScale() { return queueMinScale; }
  public void setQueueMinScale(Integer queueMinScale) { this.queueMinScale = queueMinScale; }
  public Integer getQueueMaxScale() { return queueMaxScale; }
  public void setQueueMaxScale(Integer queueMaxScale) { this.queueMaxScale = queueMaxScale; }
  public Double getQueueCpu() { return queueCpu; }
  public void setQueueCpu(Double queueCpu) { this.queueCpu = queueCpu; }
  public Double getQueueCpuLimit() { return queueCpuLimit; }
  public void setQueueCpuLimit(Double queueCpuLimit) { this.queueCpuLimit = queueCpuLimit; }
  public Integer getQueueMemoryMb() { return queueMemoryMb; }
  public void setQueueMemoryMb(Integer queueMemoryMb) { this.queueMemoryMb = queueMemoryMb; }
  public Integer getQueueMemoryLimitMb() { return queueMemoryLimitMb; }
  public void setQueueMemoryLimitMb(Integer queueMemoryLimitMb) { this.queueMemoryLimitMb = queueMemoryLimitMb; }
  public Double getRedisCpu() { return redisCpu; }
  public void setRedisCpu(Double redisCpu) { this.redisCpu = redisCpu; }
  public Double getRedisCpuLimit() { return redisCpuLimit; }
  public void setRedisCpuLimit(Double redisCpuLimit) { this.redisCpuLimit = redisCpuLimit; }
  public Integer getRedisMemoryMb() { return redisMemoryMb; }
  public void setRedisMemoryMb(Integer redisMemoryMb) { this.redisMemoryMb = redisMemoryMb; }
  public Integer getRedisMemoryLimitMb() { return redisMemoryLimitMb; }
  public void setRedisMemoryLimitMb(Integer redisMemoryLimitMb) { this.redisMemoryLimitMb = redisMemoryLimitMb; }
  public Double getDbCpu() { return dbCpu; }
  public void setDbCpu(Double dbCpu) { this.dbCpu = dbCpu; }
  public Double getDbCpuLimit() { return dbCpuLimit; }
  public void setDbCpuLimit(Double dbCpuLimit) { this.dbCpuLimit = dbCpuLimit; }
  public Integer getDbMemoryMb() { return dbMemoryMb; }
  public void setDbMemoryMb(Integer dbMemoryMb) { this.dbMemoryMb = dbMemoryMb; }
  public Integer getDbMemoryLimitMb() { return dbMemoryLimitMb; }
  public void setDbMemoryLimitMb(Integer dbMemoryLimitMb) { this.dbMemoryLimitMb = dbMemoryLimitMb; }
  public Integer getDbStorageGi() { return dbStorageGi; }
  public void setDbStorageGi(Integer dbStorageGi) { this.dbStorageGi = dbStorageGi; }
  public Integer getDbMaxConnections() { return dbMaxConnections; }
  public void setDbMaxConnections(Integer dbMaxConnections) { this.dbMaxConnections = dbMaxConnections; }
  public Map<String, String> getLabels() { return labels; }
  public void setLabels(Map<String, String> labels) { this.labels = labels; }
  public Map<String, String> getAnnotations() { return annotations; }
  public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }
  public String getServiceAccountName() { return serviceAccountName; }
  public void setServiceAccountName(String serviceAccountName) { this.serviceAccountName = serviceAccountName; }
  public List<ObjectName> getImagePullSecrets() { return imagePullSecrets; }
  public void setImagePullSecrets(List<ObjectName> imagePullSecrets) { this.imagePullSecrets = imagePullSecrets; }
  public List<JsonNode> getVolumes() { return volumes; }
  public void setVolumes(List<JsonNode> volumes) { this.volumes = volumes; }
  public List<JsonNode> getVolumeMounts() { return volumeMounts; }
  public void setVolumeMounts(List<JsonNode> volumeMounts) { this.volumeMounts = volumeMounts; }
  public List<JsonNode> getInitContainers() { return initContainers; }
  public void setInitContainers(List<JsonNode> initContainers) { this.initContainers = initContainers; }
  public List<JsonNode> getSidecars() { return sidecars; }
  public void setSidecars(List<JsonNode> sidecars) { this.sidecars = sidecars; }
}

package io.agentdeploy.operator.remote.langsmith;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.remote.BatchReads;
import io.agentdeploy.operator.remote.DesiredDeployment;
import io.agentdeploy.operator.remote.ListedDeployment;
import io.agentdeploy.operator.remote.Observation;
import io.agentdeploy.operator.remote.Rollout;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code GET /v2/deployments?deployment_ids=...&limit=100}: up to 100 deployments of one account per call. */
final class LangSmithBatchReads implements BatchReads {
  private final LangSmithClient client;

  LangSmithBatchReads(LangSmithClient client) {
    this.client = client;
  }

  @Override
  public Listing list(List<String> deploymentIds) {
    if (deploymentIds.size() > MAX_IDS) {
      throw new IllegalArgumentException("at most " + MAX_IDS + " ids a list call, not " + deploymentIds.size());
    }
    // Ids compare without case (they are UUIDs); answers are keyed by the id as asked.
    Map<String, String> asked = new HashMap<>();
    deploymentIds.forEach(id -> asked.put(id.toLowerCase(Locale.ROOT), id));
    Map<String, ListedDeployment> found = new HashMap<>();
    boolean others = false;
    for (JsonNode d : client.listByIds(deploymentIds)) {
      String id = asked.get(d.path("id").asText().toLowerCase(Locale.ROOT));
      if (id == null) {
        others = true;
        continue;
      }
      JsonNode latest = d.path("latest_revision_id");
      found.put(id, new ListedDeployment(id, d.path("status").asText(), latest.isTextual() ? latest.asText() : null, d));
    }
    return new Listing(found, others);
  }

  @Override
  public Observation observe(ListedDeployment listed, DesiredDeployment desired, Rollout known) {
    return client.observation(listed.deploymentId(), listed.body(), desired, known);
  }
}

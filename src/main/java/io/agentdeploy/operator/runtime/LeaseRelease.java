package io.agentdeploy.operator.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the leader-election Lease up on a clean shutdown, the way client-go does (empty holder,
 * one-second duration), since JOSDK's elector does not release on cancel. The write is a merge
 * patch carrying the resourceVersion just read, as fabric8's elector writes its renewals: if
 * another replica took the Lease in between, it is a conflict and their hold stands. So the
 * release needs the verbs the elector needs anyway (get, patch), on the one Lease.
 */
final class LeaseRelease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {}

  static void release(KubernetesClient client, String namespace, String leaseName, String identity) {
    try {
      Lease current = client.leases().inNamespace(namespace).withName(leaseName).get();
      if (current == null || current.getSpec() == null || !identity.equals(current.getSpec().getHolderIdentity())) {
        return;
      }
      Lease released = new LeaseBuilder(current).editSpec().withHolderIdentity("").withLeaseDurationSeconds(1)
          .endSpec().build();
      client.resource(released).patch(PatchContext.of(PatchType.JSON_MERGE));
      LOG.info("released Lease {}/{} held by {}", namespace, leaseName, identity);
    } catch (KubernetesClientException e) {
      LOG.warn("could not release Lease {}/{}: {}", namespace, leaseName, e.getMessage());
    }
  }
}

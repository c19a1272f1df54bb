package io.agentdeploy.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the leader-election Lease up on a clean shutdown, the way client-go does (empty holder,
 * one-second duration), since JOSDK's elector does not release on cancel.
 */
final class LeaseRelease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {}

  static void release(KubernetesClient client, String namespace, String leaseName, String identity) {
    try {
      var lease = client.leases().inNamespace(namespace).withName(leaseName);
      var current = lease.get();
      if (current == null || current.getSpec() == null || !identity.equals(current.getSpec().getHolderIdentity())) {
        return;
      }
      lease.edit(l -> {
        l.getSpec().setHolderIdentity("");
        l.getSpec().setLeaseDurationSeconds(1);
        return l;
      });
      LOG.info("released Lease {}/{} held by {}", namespace, leaseName, identity);
    } catch (KubernetesClientException e) {
      LOG.warn("could not release Lease {}/{}: {}", namespace, leaseName, e.getMessage());
    }
  }
}

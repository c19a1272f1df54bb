package io.agentdeploy.operator.runtime;

import io.agentdeploy.operator.remote.StateHasher;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's own hash key, in a Secret of its namespace: read at start, created with 32 random
 * bytes when absent. Replicas starting together may both find it absent and both create it; the
 * one that loses (409) reads the winner's, so all of them hash with one key. It is never rotated or
 * replaced: a new key makes every hash in status unverifiable (HashKeyChanged), so a Secret that
 * exists without a usable key stops the start instead. The key never reaches a log or a message.
 */
public final class HashKeySecret {
  /** The data key that holds the hash key. */
  public static final String KEY = "key";
  static final String MANAGED_BY = "agent-deployment-operator";
  static final String PURPOSE = "agentdeploy.io/purpose";
  private static final int KEY_BYTES = 32;
  private static final int ATTEMPTS = 3;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = LoggerFactory.getLogger(HashKeySecret.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public HashKeySecret(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  /** The hasher with the stored key, creating the Secret first when there is none. */
  public StateHasher load() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Secret> existing = read();
      if (existing.isPresent()) {
        StateHasher hasher = hasherOf(existing.get());
        LOG.info("hash key loaded from Secret {} (key id {})", ref(), hasher.keyId());
        return hasher;
      }
      Optional<StateHasher> created = create();
      if (created.isPresent()) {
        return created.get();
      }
      // Another replica created it between our read and our create: read theirs.
    }
    throw new StartupFailure("the hash key Secret " + ref() + " was created by someone else but could not be read "
        + ATTEMPTS + " times in a row; check who deletes it");
  }

  /** Creates the Secret with a new key; empty when it exists already (another writer won). */
  Optional<StateHasher> create() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels("app.kubernetes.io/managed-by", MANAGED_BY)
        .addToAnnotations(PURPOSE, "Key of the keyed desired-state hashes in AgentDeployment status, created by the "
            + "operator. Back it up with the cluster's Secrets; if it is lost, the operator makes a new one and every "
            + "AgentDeployment reports HashKeyChanged until its next spec change. Never rotated automatically.")
        .endMetadata()
        .withType("Opaque")
        // Immutable: an edit would silently change every hash; delete and restore instead.
        .withImmutable(true)
        .addToData(KEY, Base64.getEncoder().encodeToString(key))
        .build();
    try {
      client.secrets().inNamespace(namespace).resource(secret).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return Optional.empty();
      }
      throw new StartupFailure("the operator cannot create its hash key Secret " + ref() + " (" + why(e)
          + "); it needs create and get on that Secret (the chart's hashkey-rbac.yaml grants them)");
    }
    StateHasher hasher = StateHasher.withKey(key);
    LOG.info("hash key Secret {} created (key id {}); back it up, see docs/security.md", ref(), hasher.keyId());
    return Optional.of(hasher);
  }

  private Optional<Secret> read() {
    try {
      return Optional.ofNullable(secrets().get());
    } catch (KubernetesClientException e) {
      throw new StartupFailure("the operator cannot read its hash key Secret " + ref() + " (" + why(e)
          + "); it needs get on that Secret (the chart's hashkey-rbac.yaml grants it)");
    }
  }

  /** The key the Secret holds; a Secret without a usable one is never replaced (that would lose it). */
  StateHasher hasherOf(Secret secret) {
    byte[] key = null;
    if (secret.getData() != null && secret.getData().get(KEY) != null) {
      try {
        key = Base64.getDecoder().decode(secret.getData().get(KEY).strip());
      } catch (IllegalArgumentException notBase64) {
        throw malformed("its data." + KEY + " is not base64");
      }
    } else if (secret.getStringData() != null && secret.getStringData().get(KEY) != null) {
      key = secret.getStringData().get(KEY).getBytes(StandardCharsets.UTF_8);
    }
    if (key == null) {
      throw malformed("it has no data key '" + KEY + "'");
    }
    if (key.length < StateHasher.MIN_KEY_BYTES) {
      throw malformed("its key has " + key.length + " bytes, at least " + StateHasher.MIN_KEY_BYTES + " are needed");
    }
    return StateHasher.withKey(key);
  }

  private StartupFailure malformed(String why) {
    return new StartupFailure("the hash key Secret " + ref() + " exists but " + why + "; the operator does not replace "
        + "it (every hash in status was made with it): restore it from a backup, or delete it to start with a new key "
        + "(every AgentDeployment then reports HashKeyChanged until its next spec change)");
  }

  private Resource<Secret> secrets() {
    return client.secrets().inNamespace(namespace).withName(name);
  }

  private String ref() {
    return namespace + "/" + name;
  }

  /** The API server's answer, never the request (it carries the key). */
  private static String why(KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? ": " + e.getStatus().getMessage()
        : "";
    return "HTTP " + e.getCode() + message;
  }
}

package io.agentdeploy.operator.remote;

import java.time.Instant;

/**
 * A remote deployment the lookup before a create found: by unique name (LangSmith), or by the
 * write-ahead nonce it carries (Agentex, whose names are not unique).
 *
 * @param nonce the write-ahead nonce the object carries, or null where the remote keeps none
 */
public record RemoteMatch(String deploymentId, String name, Instant createdAt, boolean deleting, String nonce) {}

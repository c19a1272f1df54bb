package io.agentdeploy.operator.remote;

import java.time.Instant;

/** A remote deployment found by its unique name, for the lookup that precedes every create. */
public record RemoteMatch(String deploymentId, String name, Instant createdAt, boolean deleting) {}

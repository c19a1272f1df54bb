package io.agentdeploy.operator.remote;

/** The answer to a create or update: the remote ids to record in status. */
public record Applied(String deploymentId, String revisionId) {}

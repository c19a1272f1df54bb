package io.agentdeploy.operator.remote.http;

/** A successful (2xx) answer. */
public record ApiResponse(int status, String body, String requestId) {}

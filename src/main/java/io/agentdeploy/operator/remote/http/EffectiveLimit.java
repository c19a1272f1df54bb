package io.agentdeploy.operator.remote.http;

/**
 * The limit an account's bucket applies now and who asked for it.
 *
 * @param setBy the owner (as its caller named it) whose limit set the rate, or null when no named owner did
 * @param lowered true when another owner on the account asked for a higher rate: {@code setBy} held it down
 */
public record EffectiveLimit(double requestsPerSecond, int burst, String setBy, boolean lowered) {}

package io.agentdeploy.operator.simulator;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Everything the simulator can be told.
 *
 * @param port 0 for an ephemeral port
 * @param apiKey the only accepted key, or null to accept any non-empty key
 * @param stepDuration time a revision spends in each status
 * @param databaseDelay time a new deployment reads AWAITING_DATABASE
 * @param deletionDelay time a deleted deployment reads AWAITING_DELETE before it is gone (404)
 * @param patchDuringRollout what a revision-creating PATCH does while the latest revision is in progress
 * @param redeployMode what {@code POST .../revisions/{rid}/redeploy} does with the target revision
 * @param failureRules rules that make revisions fail
 * @param bindAddress the address to listen on: loopback by default; 0.0.0.0 (or a pod's address) for a
 *     sandbox in a cluster, where the operator reaches it through a Service
 * @param requestLogCapacity how many of the newest requests {@link Simulator#requests()} keeps whole
 *     (every request is counted whatever this is): all of them in-process, where tests read them;
 *     none in the standalone simulator, which runs for weeks as a sandbox and where nothing reads them
 */
public record SimulatorConfig(int port, String apiKey, Duration stepDuration, Duration databaseDelay,
    Duration deletionDelay, PatchDuringRollout patchDuringRollout, RedeployMode redeployMode,
    List<FailureRule> failureRules, Duration latency, double faultRate, long seed, Clock clock,
    InetAddress bindAddress, int requestLogCapacity) {

  /** REJECT answers 400 "still in progress"; QUEUE accepts and starts the revision when the previous one ends. */
  public enum PatchDuringRollout { QUEUE, REJECT }

  /**
   * How a redeploy of an existing revision is modelled (the API reference does not say).
   * CLONE rolls out a new revision (new id) with the target's config, skipping the build; REUSE
   * makes the target itself the latest revision again, and it becomes active one step later.
   */
  public enum RedeployMode { CLONE, REUSE }

  public static SimulatorConfig defaults() {
    return new SimulatorConfig(0, null, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(1),
        PatchDuringRollout.QUEUE, RedeployMode.CLONE, List.of(), Duration.ZERO, 0, 42, Clock.systemUTC(),
        InetAddress.getLoopbackAddress(), Integer.MAX_VALUE);
  }

  public SimulatorConfig withPort(int value) {
    return new SimulatorConfig(value, apiKey, stepDuration, databaseDelay, deletionDelay, patchDuringRollout,
        redeployMode, failureRules, latency, faultRate, seed, clock, bindAddress, requestLogCapacity);
  }

  public SimulatorConfig withApiKey(String value) {
    return new SimulatorConfig(port, value, stepDuration, databaseDelay, deletionDelay, patchDuringRollout,
        redeployMode, failureRules, latency, faultRate, seed, clock, bindAddress, requestLogCapacity);
  }

  public SimulatorConfig withTimings(Duration step, Duration database, Duration deletion) {
    return new SimulatorConfig(port, apiKey, step, database, deletion, patchDuringRollout, redeployMode, failureRules,
        latency, faultRate, seed, clock, bindAddress, requestLogCapacity);
  }

  public SimulatorConfig withPatchDuringRollout(PatchDuringRollout value) {
    return new SimulatorConfig(port, apiKey, stepDuration, databaseDelay, deletionDelay, value, redeployMode,
        failureRules, latency, faultRate, seed, clock, bindAddress, requestLogCapacity);
  }

  public SimulatorConfig withRedeployMode(RedeployMode value) {
    return new SimulatorConfig(port, apiKey, stepDuration, databaseDelay, deletionDelay, patchDuringRollout, value,
        failureRules, latency, faultRate, seed, clock, bindAddress, requestLogCapacity);
  }

  public SimulatorConfig withFailureRules(List<FailureRule> value) {
    return new SimulatorConfig(port, apiKey, stepDuration, databaseDelay, deletionDelay, patchDuringRollout,
        redeployMode, List.copyOf(value), latency, faultRate, seed, clock, bindAddress, requestLogCapacity);
  }

  public SimulatorConfig withFaults(Duration latencyValue, double rate, long seedValue) {
    return new SimulatorConfig(port, apiKey, stepDuration, databaseDelay, deletionDelay, patchDuringRollout,
        redeployMode, failureRules, latencyValue, rate, seedValue, clock, bindAddress, requestLogCapacity);
  }

  public SimulatorConfig withBindAddress(InetAddress value) {
    return new SimulatorConfig(port, apiKey, stepDuration, databaseDelay, deletionDelay, patchDuringRollout,
        redeployMode, failureRules, latency, faultRate, seed, clock, value, requestLogCapacity);
  }

  public SimulatorConfig withClock(Clock value) {
    return new SimulatorConfig(port, apiKey, stepDuration, databaseDelay, deletionDelay, patchDuringRollout,
        redeployMode, failureRules, latency, faultRate, seed, value, bindAddress, requestLogCapacity);
  }

  public SimulatorConfig withRequestLogCapacity(int value) {
    return new SimulatorConfig(port, apiKey, stepDuration, databaseDelay, deletionDelay, patchDuringRollout,
        redeployMode, failureRules, latency, faultRate, seed, clock, bindAddress, value);
  }
}

package io.agentdeploy.operator.benchmark;

import java.util.List;
import java.util.Map;

/**
 * What one run measured.
 *
 * @param ready resources seen Ready at their generation (of {@code resources})
 * @param readyPerSecond ready / seconds from the first create to the last Ready
 * @param timeToReady seconds from a resource's create to its first Ready (p50, p95, max)
 * @param writesToReady MODIFIED events of a resource up to and including its first Ready (mean, max)
 * @param writes MODIFIED events of all resources per phase
 * @param events Events about the resources per phase
 * @param deleted resources gone (of {@code resources})
 * @param deleteWallSeconds from the first delete to the last resource gone
 * @param eventsAfterSeconds how long Events kept coming after the last Ready and after the last gone
 * @param remoteCalls per phase, per operation; empty for an operator without remote calls
 * @param processes the operator, the API server and the simulator
 * @param pids the child processes' ids, to check they are gone afterwards
 */
record RunResult(OperatorKind kind, int resources, int ready, double readyPerSecond, double[] timeToReady,
    double[] writesToReady, Map<Phase, Long> writes, Map<Phase, Long> events, int deleted, double deleteWallSeconds,
    double[] eventsAfterSeconds, Map<Phase, RemoteCalls> remoteCalls, List<ProcessFigures> processes,
    List<Long> pids) {
}

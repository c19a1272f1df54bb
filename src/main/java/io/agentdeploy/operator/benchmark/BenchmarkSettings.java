package io.agentdeploy.operator.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One benchmark's parameters, shared by both operators' runs.
 *
 * @param resources AgentDeployments created
 * @param clients parallel clients that create and delete them
 * @param steady how long everything is held Ready before the deletes
 * @param resync the operators' resync interval
 * @param pollInitial the real operator's first poll interval during a rollout
 * @param step, databaseDelay, deletionDelay, latency the simulator's timings (0 is an instant remote)
 * @param apiServerHeapMib -Xmx of the mock API server, which holds every object and its history
 * @param timeout the longest wait for all Ready and for all gone (a run that times out reports what it got)
 * @param logs where each process's output goes
 * @param jvmOptions added to every child JVM's command line
 * @param operatorJvmOptions added after those to both operators' command lines (not the API server's or the simulator's)
 * @param oneAtATime each client waits until its resource is Ready before it creates the next
 * @param warmUp resources of a round created, made Ready and deleted before the measured one (0: none)
 * @param nullEvents the null operator also writes one Event per create and per deletion
 */
record BenchmarkSettings(int resources, int clients, Duration steady, Duration resync, Duration pollInitial,
    Duration step, Duration databaseDelay, Duration deletionDelay, Duration latency, int apiServerHeapMib,
    Duration timeout, Path logs, List<String> jvmOptions, List<String> operatorJvmOptions, boolean oneAtATime,
    int warmUp, boolean nullEvents) {
}

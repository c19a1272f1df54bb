package io.agentdeploy.operator.benchmark;

import java.util.Map;

/** One process of a run: CPU seconds it used in each phase and its peak resident memory. */
record ProcessFigures(String name, Map<Phase, Double> cpuSeconds, long peakRssMib) {
}

package io.agentdeploy.operator.benchmark;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample (no interpolation: every figure is a measured value). */
final class Percentiles {
  private final double[] sorted;

  Percentiles(double[] values) {
    sorted = values.clone();
    Arrays.sort(sorted);
  }

  /** The p-th percentile (0 < p <= 100), or NaN for an empty sample. */
  double at(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }
}

package io.agentdeploy.operator.runtime;

/**
 * Keeps {@link java.util.concurrent.CompletableFuture}'s async tasks on a pool of threads on small
 * machines. With two CPUs or fewer (a pod with a CPU limit of 2 sees 2) the JDK sizes the common
 * pool to one thread, and then CompletableFuture runs every async task on a <em>new</em> thread.
 * The JDK HTTP client hands each response to that executor, and fabric8 and the remote clients
 * complete every request through it: a benchmark run of 1,000 resources started 9,396 threads
 * (JFR's jdk.ThreadStart) in 90 s. A common pool of two keeps them on two reused threads.
 *
 * <p>The JDK reads the setting once, when the common pool is first used, so this runs first in
 * {@code main}. A value given with {@code -D} is kept.
 */
public final class CommonPool {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
  static final int MINIMUM = 2;

  private CommonPool() {}

  /** Sets the common pool's parallelism to {@value #MINIMUM} unless the CPUs or the user gave more. */
  public static void atLeastTwoThreads() {
    if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() - 1 < MINIMUM) {
      System.setProperty(PARALLELISM, String.valueOf(MINIMUM));
    }
  }
}

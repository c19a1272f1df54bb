package io.agentdeploy.operator.controller;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes Kubernetes Events on a thread of its own, in the order they were recorded, so a reconcile
 * never waits for an Event's round trip to the API server: the resource's own writes (its status,
 * its finalizer) go first, and a slow or throttled events API slows no reconcile. client-go's event
 * recorder, which Go operators use, works the same way.
 *
 * <p>The queue is bounded. When it is full, the recording thread writes the Event itself: slower
 * for that reconcile, but nothing is dropped and memory stays bounded. Events still queued when the
 * process is killed are lost, as they are with client-go; a graceful stop writes them first
 * ({@link #close}).
 */
final class EventWriter {
  /** About 4 MiB of Events at most; a burst of 10,000 deletions spills into the callers, not the heap. */
  static final int CAPACITY = 4_096;

  private final ThreadPoolExecutor executor;
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();

  EventWriter() {
    this(CAPACITY);
  }

  EventWriter(int capacity) {
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), r -> {
      Thread thread = new Thread(r, "event-writer");
      thread.setDaemon(true);
      return thread;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
  }

  /** Writes it on the writer's thread, or on the caller's when the queue is full; dropped once closed. */
  void write(Runnable write) {
    if (executor.isShutdown()) {
      return;
    }
    submitted.incrementAndGet();
    executor.execute(() -> {
      try {
        write.run();
      } finally {
        finished.incrementAndGet();
      }
    });
  }

  /**
   * Waits until every Event recorded before this call has been written (or has failed), at most
   * {@code timeout}.
   *
   * @return false when the timeout came first
   */
  boolean flush(Duration timeout) {
    long target = submitted.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (finished.get() < target) {
      if (System.nanoTime() - deadline >= 0 || executor.isTerminated()) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Events handed over and not yet written (waiting, or on their way to the API server). */
  long pending() {
    return Math.max(0, submitted.get() - finished.get());
  }

  /** Graceful: what is queued is written first, for at most {@code grace}; later Events are dropped. */
  void close(Duration grace) {
    flush(grace);
    executor.shutdownNow();
  }

  /** Abrupt (a simulated crash): what is queued is lost. */
  void abandon() {
    executor.shutdownNow();
  }
}

package io.agentdeploy.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The writer behind the recorder: in order, off the caller's thread, bounded without dropping. */
class EventWriterTest {

  @Test
  void writesInTheOrderGivenOnItsOwnThread() {
    EventWriter writer = new EventWriter(100);
    List<String> threads = new CopyOnWriteArrayList<>();
    List<Integer> order = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 50; i++) {
      int n = i;
      writer.write(() -> {
        threads.add(Thread.currentThread().getName());
        order.add(n);
      });
    }
    assertTrue(writer.flush(Duration.ofSeconds(10)));
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add(i);
    }
    assertEquals(expected, order);
    assertEquals(List.of("event-writer"), threads.stream().distinct().toList());
    writer.close(Duration.ofSeconds(1));
  }

  @Test
  void aFullQueueMakesTheCallerWriteInsteadOfDropping() throws Exception {
    EventWriter writer = new EventWriter(2);
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    List<String> wroteOn = new CopyOnWriteArrayList<>();
    writer.write(() -> {
      running.countDown();
      await(stuck);
    });
    assertTrue(running.await(10, TimeUnit.SECONDS));
    // Two wait in the queue; the fourth finds it full and runs here.
    for (int i = 0; i < 3; i++) {
      writer.write(() -> wroteOn.add(Thread.currentThread().getName()));
    }
    assertEquals(List.of(Thread.currentThread().getName()), wroteOn, "the fourth was written by its caller");
    assertFalse(writer.flush(Duration.ofMillis(100)), "the first is still being written");
    stuck.countDown();
    assertTrue(writer.flush(Duration.ofSeconds(10)));
    assertEquals(3, wroteOn.size(), "nothing dropped: " + wroteOn);
    writer.close(Duration.ofSeconds(1));
  }

  @Test
  void aGracefulCloseWritesWhatIsQueuedAndNothingAfter() {
    EventWriter writer = new EventWriter(100);
    List<Integer> written = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      writer.write(() -> written.add(n));
    }
    writer.close(Duration.ofSeconds(10));
    assertEquals(20, written.size());
    writer.write(() -> written.add(99));
    assertEquals(20, written.size(), "closed: dropped, not written on the caller's thread");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

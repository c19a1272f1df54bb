package io.agentdeploy.operator.benchmark;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.controller.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the watches saw, per AgentDeployment: when it was created, when it was first Ready at its
 * generation, how many MODIFIED events (writes to it) and Events about it came in each phase, and
 * whether it is gone. The watch callbacks only record (no I/O), so a watch of 10,000 resources
 * keeps up.
 */
final class ResourceLedger {
  /** One resource's record; times in System.nanoTime(). */
  static final class Entry {
    volatile long createdNanos;
    volatile long readyNanos;
    volatile int writesToReady;
    volatile boolean gone;
    volatile long goneNanos;
    final Map<Phase, AtomicInteger> writes = counters();
    final Map<Phase, AtomicInteger> events = counters();

    private static Map<Phase, AtomicInteger> counters() {
      Map<Phase, AtomicInteger> map = new EnumMap<>(Phase.class);
      for (Phase p : Phase.values()) {
        map.put(p, new AtomicInteger());
      }
      return map;
    }

    boolean ready() {
      return readyNanos != 0;
    }
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong lastEventNanos = new AtomicLong();
  private final AtomicInteger readyCount = new AtomicInteger();
  private final AtomicInteger goneCount = new AtomicInteger();
  private volatile Phase phase = Phase.CREATE_TO_READY;

  void phase(Phase value) {
    phase = value;
  }

  /** Called by a client right before it sends the create. */
  void creating(String name) {
    entry(name).createdNanos = System.nanoTime();
  }

  int ready() {
    return readyCount.get();
  }

  int gone() {
    return goneCount.get();
  }

  List<Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  /** Whether the watch has seen {@code name} Ready at its generation. */
  boolean isReady(String name) {
    Entry e = entries.get(name);
    return e != null && e.ready();
  }

  private Entry entry(String name) {
    return entries.computeIfAbsent(name, n -> new Entry());
  }

  Watcher<AgentDeployment> agentWatcher() {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, AgentDeployment resource) {
        Entry e = entry(resource.getMetadata().getName());
        switch (action) {
          case MODIFIED -> {
            e.writes.get(phase).incrementAndGet();
            if (!e.ready()) {
              e.writesToReady++;
            }
            markReady(e, resource);
          }
          case ADDED -> markReady(e, resource);
          case DELETED -> {
            if (!e.gone) {
              e.gone = true;
              e.goneNanos = System.nanoTime();
              goneCount.incrementAndGet();
            }
          }
          default -> { }
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // fabric8 reconnects a watch by itself; a close that gives up shows as resources never Ready.
      }
    };
  }

  private void markReady(Entry e, AgentDeployment resource) {
    if (e.ready() || resource.getStatus() == null) {
      return;
    }
    Long generation = resource.getMetadata().getGeneration();
    boolean ready = Conditions.find(resource.getStatus().getConditions(), Conditions.READY)
        .map(c -> "True".equals(c.getStatus()) && generation != null && generation.equals(c.getObservedGeneration()))
        .orElse(false);
    if (ready) {
      e.readyNanos = System.nanoTime();
      readyCount.incrementAndGet();
    }
  }

  /** When the last Event about an AgentDeployment arrived (System.nanoTime), 0 before the first. */
  long lastEventNanos() {
    return lastEventNanos.get();
  }

  /** Events about AgentDeployments, counted per involved object; a repeat (count bumped) counts again. */
  Watcher<Event> eventWatcher() {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Event event) {
        var involved = event.getInvolvedObject();
        if ((action == Action.ADDED || action == Action.MODIFIED) && involved != null
            && "AgentDeployment".equals(involved.getKind())) {
          entry(involved.getName()).events.get(phase).incrementAndGet();
          lastEventNanos.set(System.nanoTime());
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // As above.
      }
    };
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.api.HistoryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * status.history: the rollouts this resource made (LangSmith revisions, Agentex deploys), oldest
 * first. Bounded, but an entry that may still run something is never dropped: deletion reads it.
 */
final class History {
  static final int LIMIT = 10;

  private History() {}

  /** Resources made before status.history kept Agentex deploy ids in status.deployIds. */
  static void migrate(AgentDeploymentStatus status) {
    if (status.getDeployIds() == null) {
      return;
    }
    List<HistoryEntry> entries = entries(status);
    for (String id : status.getDeployIds()) {
      if (entries.stream().noneMatch(e -> id.equals(e.getId()))) {
        entries.add(new HistoryEntry(id, null, null, null, null));
      }
    }
    status.setDeployIds(null);
    status.setHistory(entries);
  }

  static void add(AgentDeploymentStatus status, String id, String hash, Instant now) {
    add(status, id, hash, null, now);
  }

  /** @param deploymentHash the deployment-level hash it rolls out with (LangSmith), or null */
  static void add(AgentDeploymentStatus status, String id, String hash, String deploymentHash, Instant now) {
    if (id == null) {
      return;
    }
    List<HistoryEntry> entries = entries(status);
    entries.removeIf(e -> id.equals(e.getId()));
    HistoryEntry entry = new HistoryEntry(id, hash, null, now.toString(), null);
    entry.setDeploymentHash(deploymentHash);
    entries.add(entry);
    status.setHistory(bounded(entries));
  }

  /** Records what the remote last said about one entry; {@code live} false once it runs nothing. */
  static void outcome(AgentDeploymentStatus status, String id, String outcome, boolean live) {
    List<HistoryEntry> entries = entries(status);
    for (HistoryEntry e : entries) {
      if (e.getId() != null && e.getId().equals(id)) {
        e.setOutcome(outcome);
        e.setLive(live ? null : Boolean.FALSE);
      }
    }
    status.setHistory(bounded(entries));
  }

  /**
   * One deployment's revisions: once {@code serving} is live, every other revision this resource
   * made no longer runs (the remote serves one revision per deployment), so it may be dropped.
   */
  static void servingOnly(AgentDeploymentStatus status, String serving) {
    List<HistoryEntry> entries = entries(status);
    for (HistoryEntry e : entries) {
      if (serving.equals(e.getId())) {
        e.setDeployed(Boolean.TRUE);
      }
      if (e.getId() != null && !e.getId().equals(serving) && e.isLive()) {
        e.setLive(Boolean.FALSE);
      }
    }
    status.setHistory(bounded(entries));
  }

  /** The oldest entry over the bound that may still run and is not {@code current}: worth a read. */
  static Optional<String> oldestUnsettled(AgentDeploymentStatus status, String current) {
    List<HistoryEntry> entries = entries(status);
    if (entries.size() <= LIMIT) {
      return Optional.empty();
    }
    return entries.stream().filter(HistoryEntry::isLive).map(HistoryEntry::getId)
        .filter(id -> !id.equals(current)).findFirst();
  }

  /** Entries that may still run something, oldest first. */
  static List<String> liveIds(AgentDeploymentStatus status) {
    return entries(status).stream().filter(HistoryEntry::isLive).map(HistoryEntry::getId).toList();
  }

  static Optional<HistoryEntry> find(AgentDeploymentStatus status, String id) {
    return entries(status).stream().filter(e -> id != null && id.equals(e.getId())).findFirst();
  }

  /** Drops the oldest settled entries past the bound; live ones stay whatever the count. */
  private static List<HistoryEntry> bounded(List<HistoryEntry> entries) {
    while (entries.size() > LIMIT) {
      Optional<HistoryEntry> settled = entries.stream().filter(e -> !e.isLive()).findFirst();
      if (settled.isEmpty()) {
        break;
      }
      entries.remove(settled.get());
    }
    return entries;
  }

  private static List<HistoryEntry> entries(AgentDeploymentStatus status) {
    return status.getHistory() == null ? new ArrayList<>() : new ArrayList<>(status.getHistory());
  }
}

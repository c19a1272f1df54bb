package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.AgentDeploymentStatus;
import io.agentdeploy.operator.api.HistoryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Every hash one AgentDeployment status holds, in one place: the applied and the rejected state,
 * the open write-ahead record, and each history entry's state and deployment-level hashes. They
 * are all made under one scheme and key (status.hashScheme, status.hashKeyId), so they are
 * rewritten together.
 */
final class StatusHashes {
  private StatusHashes() {}

  /** True when the status holds at least one hash. */
  static boolean any(AgentDeploymentStatus status) {
    return all(status).stream().anyMatch(Objects::nonNull);
  }

  /**
   * Replaces each state hash through {@code state} and each deployment-level hash through
   * {@code deployment}; an operator answering null drops the hash (it then matches nothing).
   */
  static void rewrite(AgentDeploymentStatus status, UnaryOperator<String> state, UnaryOperator<String> deployment) {
    status.setDesiredStateHash(apply(state, status.getDesiredStateHash()));
    status.setRejectedStateHash(apply(state, status.getRejectedStateHash()));
    if (status.getWriteAhead() != null) {
      status.getWriteAhead().setDesiredStateHash(apply(state, status.getWriteAhead().getDesiredStateHash()));
    }
    if (status.getHistory() != null) {
      for (HistoryEntry e : status.getHistory()) {
        e.setDesiredStateHash(apply(state, e.getDesiredStateHash()));
        e.setDeploymentHash(apply(deployment, e.getDeploymentHash()));
      }
    }
  }

  /** Drops every hash: nothing recorded under an unknown key may match the desired state. */
  static void forget(AgentDeploymentStatus status) {
    rewrite(status, h -> null, h -> null);
  }

  private static String apply(UnaryOperator<String> op, String hash) {
    return hash == null ? null : op.apply(hash);
  }

  private static List<String> all(AgentDeploymentStatus status) {
    List<String> out = new ArrayList<>();
    out.add(status.getDesiredStateHash());
    out.add(status.getRejectedStateHash());
    if (status.getWriteAhead() != null) {
      out.add(status.getWriteAhead().getDesiredStateHash());
    }
    if (status.getHistory() != null) {
      for (HistoryEntry e : status.getHistory()) {
        out.add(e.getDesiredStateHash());
        out.add(e.getDeploymentHash());
      }
    }
    return out;
  }
}

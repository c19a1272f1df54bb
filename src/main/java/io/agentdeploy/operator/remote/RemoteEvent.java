package io.agentdeploy.operator.remote;

import java.time.Instant;

/** An event the remote reports about a deployment (Agentex: Kubernetes events of the release). */
public record RemoteEvent(String type, String reason, String message, Instant timestamp) {
  public boolean isWarning() {
    return "Warning".equalsIgnoreCase(type);
  }

  /** A stable marker for "already reported". */
  public String marker() {
    return (timestamp == null ? "" : timestamp.toString()) + "|" + reason;
  }
}

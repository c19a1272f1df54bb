package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.http.CallScope;
import java.util.function.Supplier;
import org.slf4j.MDC;

/** Runs one pass with the resource (and its remote deployment) in the log context of every line. */
final class LogContext {
  private LogContext() {}

  static <T> T with(ReconcilePass p, Supplier<T> work) {
    MDC.put("resource", p.ref());
    if (p.before.getDeploymentId() != null) {
      MDC.put("deploymentId", p.before.getDeploymentId());
    }
    try {
      return CallScope.run(p.key(), Throttled.priorityOf(p), work); // remote calls reserve, never wait
    } finally {
      MDC.remove("resource");
      MDC.remove("deploymentId");
    }
  }
}

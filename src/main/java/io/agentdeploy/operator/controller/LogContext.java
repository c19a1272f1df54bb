package io.agentdeploy.operator.controller;

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
      return work.get();
    } finally {
      MDC.remove("resource");
      MDC.remove("deploymentId");
    }
  }
}

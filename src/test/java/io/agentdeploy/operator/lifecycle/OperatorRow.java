package io.agentdeploy.operator.lifecycle;

import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.lifecycle.BadInput.Category;
import io.agentdeploy.operator.lifecycle.BadInput.Layer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.function.Function;

/**
 * A bad input the operator must refuse: applied as its own objects next to the other rows, it
 * must end with {@code reason} on the subject's condition, a message holding {@code fix} (what to
 * change), no request to the simulator naming {@code name}, and none of {@code secrets} in status,
 * events or the log.
 *
 * @param name the subject's name; also in the base URL path, tenant or manifest of what it sends
 * @param objects the objects to create, given the simulator's base URL
 * @param secrets Secret values of the row, which must appear nowhere
 */
record OperatorRow(Category category, Provider provider, String name, String input, Subject subject, String reason,
    String fix, Function<String, List<HasMetadata>> objects, List<String> secrets, Setting setting, Step then)
    implements BadInput.Row {

  /** The object whose condition carries the reason. */
  enum Subject { AGENT_DEPLOYMENT, CONTROL_PLANE, CLUSTER_CONTROL_PLANE }

  /** How the operator the row runs in is installed: rows of one setting share one operator. */
  enum Setting {
    /** As the chart installs it by default. */
    DEFAULT,
    /** Without ClusterControlPlanes (clusterControlPlanes.enabled=false). */
    NO_CLUSTER_CONTROL_PLANES
  }

  /**
   * What a row does once every row's objects exist, before its reason is awaited: for input that
   * only counts after some history (a status as a restore brings it back).
   */
  @FunctionalInterface
  interface Step {
    void run(SimulatedWorld world);
  }

  /** A row for an operator installed as by default, with nothing to do after its objects are created. */
  OperatorRow(Category category, Provider provider, String name, String input, Subject subject, String reason,
      String fix, Function<String, List<HasMetadata>> objects, List<String> secrets) {
    this(category, provider, name, input, subject, reason, fix, objects, secrets, Setting.DEFAULT, w -> { });
  }

  /** This row in an operator installed with {@code value}. */
  OperatorRow in(Setting value) {
    return new OperatorRow(category, provider, name, input, subject, reason, fix, objects, secrets, value, then);
  }

  /** This row, doing {@code step} once every row's objects exist. */
  OperatorRow then(Step step) {
    return new OperatorRow(category, provider, name, input, subject, reason, fix, objects, secrets, setting, step);
  }

  @Override
  public Layer layer() {
    return Layer.OPERATOR;
  }

  @Override
  public String toString() {
    return provider.wireName() + " " + category.label + " " + name + " (" + input + ") -> " + reason
        + (setting == Setting.DEFAULT ? "" : " [" + setting + "]");
  }
}

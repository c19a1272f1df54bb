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
    String fix, Function<String, List<HasMetadata>> objects, List<String> secrets) implements BadInput.Row {

  /** The object whose condition carries the reason. */
  enum Subject { AGENT_DEPLOYMENT, CONTROL_PLANE, CLUSTER_CONTROL_PLANE }

  @Override
  public Layer layer() {
    return Layer.OPERATOR;
  }

  @Override
  public String toString() {
    return provider.wireName() + " " + category.label + " " + name + " (" + input + ") -> " + reason;
  }
}

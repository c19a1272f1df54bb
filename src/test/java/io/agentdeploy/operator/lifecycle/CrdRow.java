package io.agentdeploy.operator.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.lifecycle.BadInput.Category;
import io.agentdeploy.operator.lifecycle.BadInput.Layer;

/**
 * A bad input the API server refuses: {@code object} (an update from {@code old} when not null)
 * checked against the checked-in CRD's schema and CEL rules must give a violation holding
 * {@code violation}.
 *
 * @param crd the CRD file name under crds/
 */
record CrdRow(Category category, Provider provider, String input, String crd, JsonNode object, JsonNode old,
    String violation) implements BadInput.Row {

  @Override
  public Layer layer() {
    return Layer.CRD;
  }

  @Override
  public String toString() {
    return provider.wireName() + " " + category.label + " (" + input + ") in " + crd;
  }
}

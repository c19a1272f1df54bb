package io.agentdeploy.operator.remote;

import java.util.ArrayList;
import java.util.List;

/**
 * How far a remote record shows the desired state, for providers whose records never change after
 * they are made (Agentex): read once, when a deployment is adopted.
 *
 * @param differs parts the record shows with another value
 * @param notShown parts the record cannot show at all (an Agentex image deploy's image name and tag)
 */
public record ContentCheck(List<String> differs, List<String> notShown) {
  /** Nothing to prove: the provider's drift covers its whole content, or no desired state was given. */
  public static final ContentCheck NONE = new ContentCheck(List.of(), List.of());

  public ContentCheck {
    differs = List.copyOf(differs);
    notShown = List.copyOf(notShown);
  }

  public boolean proven() {
    return differs.isEmpty() && notShown.isEmpty();
  }

  /** The parts another piece of evidence (this resource's own open create of this spec) vouches for. */
  public ContentCheck vouchedFor() {
    return new ContentCheck(differs, List.of());
  }

  /** The parts, for a message. */
  public String describe() {
    List<String> all = new ArrayList<>(differs);
    notShown.forEach(n -> all.add(n + " (not shown by the record)"));
    return String.join(", ", all);
  }
}

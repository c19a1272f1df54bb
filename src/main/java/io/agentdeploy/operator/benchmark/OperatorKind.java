package io.agentdeploy.operator.benchmark;

/** Which operator a run measures. */
enum OperatorKind {
  /** This project's operator: the jar's {@code run}. */
  REAL("this operator"),
  /** {@link NullOperatorMain}: a finalizer and one status write, the floor any operator stands on. */
  NULL("null operator");

  final String label;

  OperatorKind(String label) {
    this.label = label;
  }
}

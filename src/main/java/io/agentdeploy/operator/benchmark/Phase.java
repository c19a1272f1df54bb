package io.agentdeploy.operator.benchmark;

/** The parts of one run, each with its own counts. */
enum Phase {
  /** From the first create until every resource is Ready. */
  CREATE_TO_READY("create to Ready"),
  /** Everything Ready, nothing changes; the operator resyncs. */
  STEADY("steady window"),
  /** From the first delete until every resource is gone. */
  DELETION("deletion");

  final String label;

  Phase(String label) {
    this.label = label;
  }
}

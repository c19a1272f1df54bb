package io.agentdeploy.operator.benchmark;

/** The parts of one run, each with its own counts. */
enum Phase {
  /** From the first create until every resource is Ready. */
  CREATE_TO_READY("create to Ready"),
  /**
   * One resync interval right after the last Ready: resources made in the last interval have their
   * first resync here, some before the batch poller has listed them; counted apart from the steady
   * window so that one shows the steady state.
   */
  FIRST_RESYNC("first resync after Ready"),
  /** Everything Ready for more than one resync interval, nothing changes; the operator resyncs. */
  STEADY("steady window"),
  /** From the first delete until every resource is gone. */
  DELETION("deletion");

  final String label;

  Phase(String label) {
    this.label = label;
  }
}

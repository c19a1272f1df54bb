package io.agentdeploy.operator.controller;

/**
 * A write-ahead record was refused with a conflict: the resource changed after this pass read it
 * (another writer, such as a second replica or the old leader, recorded its own write meanwhile).
 * The pass sends nothing and writes nothing more; the next one reads what the other writer left.
 */
final class StaleRead extends RuntimeException {
  StaleRead(String resource) {
    super(resource + " changed since this pass read it; nothing was sent", null, false, false);
  }
}

package io.agentdeploy.operator.lifecycle;

import io.agentdeploy.operator.api.Provider;

/** The vocabulary of the bad-input suite: where a row is checked, and what kind of mistake it is. */
final class BadInput {
  private BadInput() {}

  /** Who refuses the input: the API server (CRD schema and CEL rules) or the operator (a condition reason). */
  enum Layer { CRD, OPERATOR }

  /** The kinds of mistake issue 9 asks to cover, two rows at least per provider each. */
  enum Category {
    BASE_URL("base URL syntax"),
    API_KEY_BYTES("API key bytes"),
    REFERENCES("Secret, ConfigMap and ControlPlane references"),
    ENV("env names and values"),
    MANIFESTS("manifests and source config"),
    IMMUTABLE("immutable fields"),
    QUANTITIES("quantities"),
    ENUMS("enums"),
    SIZES("sizes"),
    ENCODING("non-UTF-8 and unicode"),
    SELECTORS("namespace selectors"),
    ANNOTATIONS("annotations");

    final String label;

    Category(String label) {
      this.label = label;
    }

    /** The categories issue 9 names; a row may also fall into one it does not. */
    boolean required() {
      return this != SELECTORS && this != ANNOTATIONS;
    }
  }

  /** One row of the table, whatever its layer. */
  interface Row {
    Layer layer();

    Category category();

    Provider provider();

    /** The input in words, for the failure message and the summary. */
    String input();
  }
}

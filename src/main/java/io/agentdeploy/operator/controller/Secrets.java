package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.remote.SpecProblem;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Base64;
import java.util.Optional;

/** Reading one key of a Secret, from {@code data} (base64) or {@code stringData}. */
final class Secrets {
  private Secrets() {}

  /**
   * @throws SpecProblem {@code InvalidSecretValue} when the bytes are not UTF-8 text: a lenient
   *     decode would send U+FFFD in their place (a wrong value, and distinct values hash the same)
   */
  static Optional<String> value(Secret secret, String key) throws SpecProblem {
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      byte[] bytes = decodeBase64(secret, key);
      return Optional.of(Utf8Text.decode(bytes).orElseThrow(() -> new SpecProblem("InvalidSecretValue",
          "Secret " + secret.getMetadata().getName() + " key " + key + " is not UTF-8 text ("
              + Utf8Text.firstBadByte(bytes) + "); store the value as UTF-8, nothing is sent until then")));
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key));
    }
    return Optional.empty();
  }

  private static byte[] decodeBase64(Secret secret, String key) throws SpecProblem {
    try {
      return Base64.getDecoder().decode(secret.getData().get(key));
    } catch (IllegalArgumentException e) {
      // The API server only stores valid base64; a client-side cache could still hand us anything.
      throw new SpecProblem("InvalidSecretValue", "Secret " + secret.getMetadata().getName() + " key " + key
          + " is not valid base64 in data; rewrite the value, nothing is sent until then");
    }
  }
}

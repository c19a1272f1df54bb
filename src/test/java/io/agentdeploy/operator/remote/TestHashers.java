package io.agentdeploy.operator.remote;

import java.util.Arrays;

/** Fixed hash keys for unit tests (the operator's own key is random, from its Secret). */
public final class TestHashers {
  public static final StateHasher ZERO = StateHasher.withKey(new byte[32]);
  public static final StateHasher ONES = StateHasher.withKey(filled((byte) 1));

  private TestHashers() {}

  private static byte[] filled(byte value) {
    byte[] key = new byte[32];
    Arrays.fill(key, value);
    return key;
  }
}

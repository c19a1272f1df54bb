package io.agentdeploy.operator.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StateHasherTest {
  private static final byte[] STATE = "{\"secrets\":[{\"name\":\"PIN\",\"value\":\"1234\"}]}"
      .getBytes(StandardCharsets.UTF_8);

  @Test
  void theStoredHashIsAnHmacNamedByItsScheme() {
    String hash = TestHashers.ZERO.hash(STATE);
    assertTrue(hash.matches("hmac-sha256:[0-9a-f]{64}"), hash);
    assertEquals(hash, TestHashers.ZERO.hash(STATE.clone()), "stable for the same bytes and key");
    assertNotEquals(hash, TestHashers.ONES.hash(STATE), "another key, another hash");
    assertNotEquals(hash.substring(hash.indexOf(':') + 1), StateHasher.legacyHash(STATE).substring(7),
        "not the plain digest an attacker could recompute");
  }

  @Test
  void theLegacyHashIsThePlainDigestOlderVersionsWrote() {
    assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        StateHasher.legacyHash(new byte[0]));
  }

  @Test
  void theKeyIdNamesTheKeyWithoutRevealingIt() {
    StateHasher hasher = TestHashers.ONES;
    assertTrue(hasher.keyId().matches("[0-9a-f]{8}"), hasher.keyId());
    assertNotEquals(TestHashers.ZERO.keyId(), hasher.keyId());
    assertEquals(hasher.keyId(), StateHasher.keyIdOf(filled(32)));
    String key = HexFormat.of().formatHex(filled(32));
    assertFalse(hasher.toString().contains(key));
    assertFalse(key.startsWith(hasher.keyId()));
  }

  @Test
  void aShortKeyIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> StateHasher.withKey(new byte[31]));
  }

  private static byte[] filled(int length) {
    byte[] key = new byte[length];
    java.util.Arrays.fill(key, (byte) 1);
    return key;
  }
}

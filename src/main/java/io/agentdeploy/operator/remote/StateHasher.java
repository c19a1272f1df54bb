package io.agentdeploy.operator.remote;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns the canonical form of a desired state into what status stores: an HMAC-SHA256 under the
 * operator's own key, so that a hash in status reveals nothing about Secret values to anyone who
 * can read the resource (an unsalted digest of a low-entropy value can be brute-forced offline).
 * The key id names the key without revealing it; the key itself is never printed.
 */
public final class StateHasher {
  /** The scheme of every hash this operator writes, also recorded in status.hashScheme. */
  public static final String SCHEME = "hmac-sha256";
  /** What operator versions before the keyed hash wrote: a plain SHA-256, read only to migrate. */
  public static final String LEGACY_SCHEME = "sha256";
  /** The key must be at least this long (the operator creates 32 random bytes). */
  public static final int MIN_KEY_BYTES = 32;
  private static final String KEY_ID_LABEL = "agentdeploy.io/hash-key-id\n";

  private final SecretKeySpec key;
  private final String keyId;
  /** One initialised Mac per thread: looking the provider up and keying it cost more than the hash. */
  private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(this::newMac);

  private StateHasher(byte[] key) {
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("a hash key needs at least " + MIN_KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.keyId = keyIdOf(key);
  }

  public static StateHasher withKey(byte[] key) {
    return new StateHasher(key);
  }

  /** First 8 hex digits of SHA-256 over a fixed label and the key: tells keys apart, reveals nothing. */
  public static String keyIdOf(byte[] key) {
    MessageDigest sha = sha256();
    sha.update(KEY_ID_LABEL.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest(key)).substring(0, 8);
  }

  public String keyId() {
    return keyId;
  }

  /** The stored form: {@code hmac-sha256:<hex>}. */
  public String hash(byte[] canonical) {
    return SCHEME + ":" + HexFormat.of().formatHex(mac.get().doFinal(canonical));
  }

  private Mac newMac() {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * The unkeyed form older versions stored ({@code sha256:<hex>}). Only migration computes it, to
   * verify once that an old status describes the current desired state; it is never written.
   */
  public static String legacyHash(byte[] canonical) {
    return LEGACY_SCHEME + ":" + HexFormat.of().formatHex(sha256().digest(canonical));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "StateHasher[" + SCHEME + ", key " + keyId + "]";
  }
}

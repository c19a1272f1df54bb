package io.agentdeploy.operator.remote;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One remote account: where a resource's remote objects live, and what shares one rate limiter.
 * The normalised base URL (scheme and host lower-cased, default port and trailing slashes
 * dropped) plus the tenant or account id; without one, a fingerprint of the API key stands in,
 * because the key then decides the workspace. Printed as {@code <base URL>#<tenant>}.
 *
 * @param tenant the tenant or account id, or {@code key-<fingerprint>}
 */
public record AccountKey(String baseUrl, String tenant) {
  private static final String KEY_PREFIX = "key-";

  public AccountKey {
    baseUrl = normalise(baseUrl);
    tenant = tenant == null ? "" : tenant;
  }

  /**
   * @param tenant the explicit tenant or account id, or null to identify the account by the key
   */
  public static AccountKey of(String baseUrl, String tenant, String apiKey) {
    boolean explicit = tenant != null && !tenant.isBlank();
    return new AccountKey(baseUrl, explicit ? tenant.strip() : apiKey == null ? "" : KEY_PREFIX + fingerprint(apiKey));
  }

  /** True when the account id is sent as a header (not derived from the key). */
  public boolean explicitTenant() {
    return !tenant.isEmpty() && !tenant.startsWith(KEY_PREFIX);
  }

  /** The form status and messages use, and the one the accept-account annotation names. */
  public String display() {
    return tenant.isEmpty() ? baseUrl : baseUrl + "#" + tenant;
  }

  @Override
  public String toString() {
    return display();
  }

  static String normalise(String baseUrl) {
    String trimmed = baseUrl.strip().replaceAll("/+$", "");
    try {
      URI uri = URI.create(trimmed);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return trimmed;
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
      String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    } catch (IllegalArgumentException unparseable) {
      return trimmed;
    }
  }

  /**
   * A short, stable fingerprint of an API key: HMAC-SHA256 under a fixed label, 64 bits in hex.
   * Stable across restarts and replicas (account identity must not change with the process); the
   * key itself is never stored, and 64 bits of an HMAC of a high-entropy key reveal nothing usable.
   */
  public static String fingerprint(String apiKey) {
    return HexFormat.of().formatHex(FINGERPRINT_MAC.get().doFinal(apiKey.getBytes(StandardCharsets.UTF_8)), 0, 8);
  }

  /** Every pass fingerprints its key: one keyed Mac per thread, not a provider lookup each time. */
  private static final ThreadLocal<Mac> FINGERPRINT_MAC = ThreadLocal.withInitial(() -> {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec("agentdeploy.io/account-fingerprint".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  });
}

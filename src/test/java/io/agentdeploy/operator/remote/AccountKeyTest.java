package io.agentdeploy.operator.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * One account, one key (issue 8): the forms of a base URL that address the same account
 * normalise to one key (scheme and host lower-cased, default port and trailing slashes dropped,
 * the path kept as written), so a ControlPlane edit that only rewrites the URL is no account
 * change, and one that changes the port, the path or the tenant is.
 */
class AccountKeyTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "HTTPS://API.Example.COM, https://api.example.com",
      "https://api.example.com/, https://api.example.com",
      "https://api.example.com///, https://api.example.com",
      "https://api.example.com:443, https://api.example.com",
      "https://api.example.com:443/, https://api.example.com",
      "http://api.example.com:80, http://api.example.com",
      "HTTP://Api.Example.com:80/, http://api.example.com",
      "https://api.example.com:8443, https://api.example.com:8443",
      "http://api.example.com:443, http://api.example.com:443",
      "https://api.example.com:80, https://api.example.com:80",
      "https://host.example.com/api-host, https://host.example.com/api-host",
      "https://host.example.com/api-host/, https://host.example.com/api-host",
      "HTTPS://Host.Example.com:443/API-Host/, https://host.example.com/API-Host",
      "'  https://api.example.com/  ', https://api.example.com",
  })
  void baseUrlsNormaliseToOneForm(String written, String normalised) {
    assertEquals(normalised, new AccountKey(written, "t").baseUrl());
    assertEquals(normalised + "#t", AccountKey.of(written, "t", "key").display());
  }

  @Test
  void formsOfOneAddressAreOneAccountAndAnythingElseIsAnother() {
    AccountKey key = AccountKey.of("https://eu.api.example.com", "tenant-a", "k");
    assertEquals(key, AccountKey.of("HTTPS://EU.api.example.com:443/", "tenant-a", "k"));
    assertEquals(key, AccountKey.of("https://eu.api.example.com", " tenant-a ", "another key"),
        "an explicit tenant decides the account, not the key");
    assertNotEquals(key, AccountKey.of("https://eu.api.example.com", "tenant-b", "k"));
    assertNotEquals(key, AccountKey.of("https://eu.api.example.com:8443", "tenant-a", "k"));
    assertNotEquals(key, AccountKey.of("https://eu.api.example.com/api-host", "tenant-a", "k"));
    assertNotEquals(key, AccountKey.of("http://eu.api.example.com", "tenant-a", "k"));
    assertNotEquals(AccountKey.of("https://h/API", "t", "k"), AccountKey.of("https://h/api", "t", "k"),
        "paths are case-sensitive");
  }

  @Test
  void withoutATenantTheKeyDecidesTheAccountByAFingerprintThatNeverShowsTheKey() {
    AccountKey first = AccountKey.of("https://api.example.com", null, "sgp_key_first_0001");
    AccountKey again = AccountKey.of("https://api.example.com/", "  ", "sgp_key_first_0001");
    AccountKey other = AccountKey.of("https://api.example.com", null, "sgp_key_second_0002");
    assertEquals(first, again);
    assertNotEquals(first, other);
    assertFalse(first.explicitTenant());
    assertTrue(AccountKey.of("https://api.example.com", "acct", "k").explicitTenant());
    assertTrue(first.display().matches("https://api\\.example\\.com#key-[0-9a-f]{16}"), first.display());
    assertFalse(first.display().contains("sgp_key_first_0001"));
    assertEquals("https://api.example.com", AccountKey.of("https://api.example.com/", null, null).display());
  }
}

package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.remote.AccountKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who set an account's shared limit, and who is told when it changes. */
class RateLimitersOwnershipTest {
  private final long[] now = {0};
  private final RateLimiters limiters = new RateLimiters(() -> now[0]);
  private final AccountKey account = new AccountKey("https://api.host.langchain.com", "t1");

  @Test
  void theLowestAskSetsTheLimitAndIsNamed() {
    limiters.bucketFor(account, 10, 10, "agents/fast");
    assertEquals(new EffectiveLimit(10, 10, "agents/fast", false), limiters.effective(account).orElseThrow());
    TokenBucket bucket = limiters.bucketFor(account, 2, 4, "agents/slow");
    assertEquals(new EffectiveLimit(2, 4, "agents/slow", true), limiters.effective(account).orElseThrow());
    assertEquals(2, bucket.ratePerSecond());
    // The faster one asking again changes nothing: the lower ask still holds.
    limiters.bucketFor(account, 10, 10, "agents/fast");
    assertEquals("agents/slow", limiters.effective(account).orElseThrow().setBy());
  }

  @Test
  void anOwnersNewAskReplacesItsOldOneAndAForgottenOwnerReleasesTheLimit() {
    limiters.bucketFor(account, 10, 10, "agents/fast");
    limiters.bucketFor(account, 2, 4, "agents/slow");
    limiters.bucketFor(account, 5, 4, "agents/slow");
    assertEquals(new EffectiveLimit(5, 4, "agents/slow", true), limiters.effective(account).orElseThrow());
    limiters.forget("agents/slow");
    assertEquals(new EffectiveLimit(10, 10, "agents/fast", false), limiters.effective(account).orElseThrow());
  }

  @Test
  void everyOwnerOfTheAccountIsToldWhenTheLimitChanges() {
    List<Set<String>> told = new ArrayList<>();
    limiters.onLimitChange(told::add);
    limiters.bucketFor(account, 10, 10, "agents/fast");
    assertTrue(told.isEmpty(), "the first ask sets the limit, nobody else to tell");
    limiters.bucketFor(account, 2, 4, "agents/slow");
    assertEquals(List.of(Set.of("agents/fast", "agents/slow")), told);
    limiters.bucketFor(account, 10, 10, "agents/fast");
    assertEquals(1, told.size(), "an unchanged limit tells nobody");
    assertFalse(limiters.effective(new AccountKey("https://api.host.langchain.com", "t2")).isPresent());
  }
}

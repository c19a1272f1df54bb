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

  /** The sweep of one control-plane kind: owners gone without their cleanup are dropped, then idle accounts. */
  @Test
  void theSweepDropsAsksOfGoneOwnersThenAccountsNobodyUses() {
    List<Set<String>> told = new ArrayList<>();
    limiters.onLimitChange(told::add);
    limiters.bucketFor(account, 10, 10, "agents/fast");
    limiters.bucketFor(account, 2, 4, "agents/slow");
    AccountKey other = new AccountKey("https://api.host.langchain.com", "t2");
    limiters.bucketFor(other, 3, 3, "shared-cluster-plane"); // a ClusterControlPlane's: not this sweep's kind
    told.clear();

    limiters.retainOwners(owner -> owner.contains("/"), Set.of("agents/fast"));
    assertEquals(new EffectiveLimit(10, 10, "agents/fast", false), limiters.effective(account).orElseThrow(),
        "the gone owner's lower limit no longer holds");
    assertEquals(List.of(Set.of("agents/fast")), told, "the owner left is told");
    assertEquals(new EffectiveLimit(3, 3, "shared-cluster-plane", false), limiters.effective(other).orElseThrow(),
        "another kind's owner is not this sweep's to drop");

    // A 429's pause keeps an account nobody asks for until it has run out.
    limiters.bucketFor(account, 10, 10, "agents/fast").pauseFor(java.time.Duration.ofSeconds(5));
    limiters.retainOwners(owner -> owner.contains("/"), Set.of());
    assertEquals(2, limiters.accounts(), "kept while paused");
    now[0] += java.time.Duration.ofSeconds(6).toNanos();
    limiters.retainOwners(owner -> owner.contains("/"), Set.of());
    assertEquals(1, limiters.accounts(), "no ControlPlane uses it and no pause holds: gone");
    limiters.retainOwners(owner -> !owner.contains("/"), Set.of());
    assertEquals(0, limiters.accounts());
  }
}

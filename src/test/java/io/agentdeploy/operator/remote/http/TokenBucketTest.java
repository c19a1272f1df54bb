package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.remote.RemoteException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void burstThenSteadyRate() {
    TokenBucket bucket = new TokenBucket(2.0, 3, nanos::get);
    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, bucket.tryAcquire(), "burst token " + i);
    }
    Duration wait = bucket.tryAcquire();
    assertEquals(500, wait.toMillis(), "at 2/s the next token is 500 ms away");
    nanos.addAndGet(Duration.ofMillis(500).toNanos());
    assertEquals(Duration.ZERO, bucket.tryAcquire());
  }

  @Test
  void pauseFromRetryAfterBlocksEveryCaller() {
    TokenBucket bucket = new TokenBucket(100, 100, nanos::get);
    bucket.pauseFor(Duration.ofSeconds(7));
    assertEquals(7, bucket.tryAcquire().toSeconds());
    nanos.addAndGet(Duration.ofSeconds(7).toNanos());
    assertEquals(Duration.ZERO, bucket.tryAcquire());
  }

  @Test
  void oneBucketPerAccountSharedAcrossCallers() {
    RateLimiters limiters = new RateLimiters(nanos::get);
    AccountKey a = new AccountKey("https://api.host.langchain.com/", "t1");
    TokenBucket first = limiters.bucketFor(a, 5, 10);
    assertSame(first, limiters.bucketFor(new AccountKey("https://api.host.langchain.com", "t1"), 5, 10),
        "same base URL and tenant share one limiter");
    assertNotSame(first, limiters.bucketFor(new AccountKey("https://api.host.langchain.com", "t2"), 5, 10),
        "another tenant is another account");
    assertSame(first, limiters.bucketFor(a, 1, 1), "other limits for the same account keep its one bucket");
  }

  @Test
  void anAccountNamedWithTwoLimitsAppliesTheLowestAndKeepsItsPause() {
    RateLimiters limiters = new RateLimiters(nanos::get);
    AccountKey account = new AccountKey("https://api.host.langchain.com", "t1");
    TokenBucket bucket = limiters.bucketFor(account, 5, 10);
    bucket.pauseFor(Duration.ofSeconds(20));
    // Two ControlPlanes on one account reconcile in turn, one with a stricter limit.
    for (int i = 0; i < 5; i++) {
      assertSame(bucket, limiters.bucketFor(account, 1, 2));
      assertSame(bucket, limiters.bucketFor(account, 5, 10));
    }
    assertEquals(1.0, bucket.ratePerSecond());
    assertEquals(2, bucket.burst());
    assertEquals(20, bucket.tryAcquire().toSeconds(), "the remote's pause survives");

    nanos.addAndGet(Duration.ofSeconds(20).toNanos());
    int granted = 0;
    for (int i = 0; i < 40; i++) {
      if (bucket.tryAcquire().isZero()) {
        granted++;
      }
    }
    assertEquals(2, granted, "40 callers at once get the lowest burst, not 10");

    // Once the strict ControlPlane stops asking (deleted, or its limit raised), the other one's applies.
    nanos.addAndGet(RateLimiters.LIMIT_MEMORY.plusSeconds(1).toNanos());
    limiters.bucketFor(account, 5, 10);
    assertEquals(5.0, bucket.ratePerSecond());
  }

  @Test
  void longWaitsAreHandedBackAsRateLimited() {
    TokenBucket bucket = new TokenBucket(1, 1, nanos::get);
    bucket.pauseFor(Duration.ofSeconds(30));
    RemoteException e = assertThrows(RemoteException.class, () -> RateLimiters.acquire(bucket));
    assertEquals(RemoteException.Kind.RATE_LIMITED, e.kind());
    assertTrue(e.retryAfter().orElseThrow().toSeconds() >= 29);
  }
}

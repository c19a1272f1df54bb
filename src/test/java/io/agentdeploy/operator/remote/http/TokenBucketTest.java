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
    assertNotSame(first, limiters.bucketFor(a, 1, 1), "changed limits replace the bucket");
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

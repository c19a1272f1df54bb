package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.remote.RemoteException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Reservations: a caller without a token queues, comes back at its time and finds its token. */
class TokenReservationTest {
  private static final CallScope.Priority URGENT = CallScope.Priority.URGENT;
  private static final CallScope.Priority ROUTINE = CallScope.Priority.ROUTINE;
  private final AtomicLong nanos = new AtomicLong();

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void callersQueueInOrderAndFindTheirTokenWhenTheyComeBack() {
    TokenBucket bucket = new TokenBucket(5, 1, nanos::get);
    assertEquals(Duration.ZERO, bucket.reserve("a", ROUTINE), "the burst token is free");
    Duration b = bucket.reserve("b", ROUTINE);
    Duration c = bucket.reserve("c", ROUTINE);
    assertEquals(200, b.toMillis(), "next token at 5/s");
    assertEquals(400, c.toMillis(), "the one after it: c queues behind b");
    assertEquals(2, bucket.queued());
    advance(Duration.ofMillis(200));
    assertTrue(bucket.reserve("c", ROUTINE).toMillis() > 0, "c's turn has not come: b's token is b's");
    assertEquals(Duration.ZERO, bucket.reserve("b", ROUTINE), "b finds its reserved token");
    assertEquals(400, bucket.tryAcquire().toMillis(), "a caller without a reservation comes after c");
    advance(Duration.ofMillis(200));
    assertEquals(Duration.ZERO, bucket.reserve("c", ROUTINE));
  }

  @Test
  void urgentHoldersGoAheadOfQueuedPolls() {
    TokenBucket bucket = new TokenBucket(5, 1, nanos::get);
    bucket.reserve("first", ROUTINE);
    for (int i = 0; i < 50; i++) {
      bucket.reserve("poll-" + i, ROUTINE);
    }
    Duration delete = bucket.reserve("delete", URGENT);
    assertEquals(200, delete.toMillis(), "a deletion waits for the next token, not behind 50 polls");
    advance(delete);
    assertTrue(bucket.reserve("poll-0", ROUTINE).toMillis() > 0, "the first poll's token went to the deletion");
    assertEquals(Duration.ZERO, bucket.reserve("delete", URGENT));
  }

  @Test
  void aReservationNobodyComesBackForGivesItsTokenBack() {
    TokenBucket bucket = new TokenBucket(0.01, 1, nanos::get); // one token per 100 s
    bucket.reserve("taken", ROUTINE);
    assertEquals(100, bucket.reserve("gone", ROUTINE).toSeconds()); // its resource is deleted: nobody comes back
    advance(Duration.ofSeconds(100));
    assertEquals(100, bucket.tryAcquire().toSeconds(), "the token that came went to the reservation");
    advance(TokenBucket.CLAIM_GRACE.plusSeconds(1));
    assertEquals(Duration.ZERO, bucket.tryAcquire(), "the unclaimed token is back in the bucket");
    assertTrue(bucket.tryAcquire().toSeconds() > 60, "and only that one: the budget did not grow");
  }

  @Test
  void aPauseFromTheRemoteDelaysEveryReservation() {
    TokenBucket bucket = new TokenBucket(5, 5, nanos::get);
    bucket.pauseFor(Duration.ofSeconds(3));
    assertEquals(3000, bucket.reserve("a", URGENT).toMillis());
    advance(Duration.ofSeconds(3));
    assertEquals(Duration.ZERO, bucket.reserve("a", URGENT));
  }

  @Test
  void aScopedCallNeverWaitsAndItsRetryFindsEveryCallOfThePassReserved() {
    TokenBucket bucket = new TokenBucket(5, 3, nanos::get);
    bucket.tryAcquire();
    bucket.tryAcquire(); // someone else took two of the three
    RemoteException thrown = CallScope.run("uid-1", ROUTINE, () -> {
      RateLimiters.acquire(bucket); // call 0: the last free token
      return assertThrows(RemoteException.class, () -> RateLimiters.acquire(bucket)); // call 1: none left
    });
    assertTrue(RateLimiters.reservedHere(thrown), thrown.getMessage());
    assertEquals(400, thrown.retryAfter().orElseThrow().toMillis(), "both calls of the pass are reserved: 2 tokens at 5/s");
    advance(thrown.retryAfter().orElseThrow());
    CallScope.run("uid-1", ROUTINE, () -> {
      RateLimiters.acquire(bucket);
      RateLimiters.acquire(bucket);
      return null;
    });
    assertEquals(0, bucket.queued());
    assertEquals(0, bucket.grantedTokens());
  }

  @Test
  void callsWhoseAnswersAreKeptAreNotReservedForTheRetry() {
    TokenBucket bucket = new TokenBucket(5, 3, nanos::get);
    bucket.tryAcquire();
    bucket.tryAcquire();
    RemoteException thrown = CallScope.run("uid-1", ROUTINE, () -> {
      RateLimiters.acquire(bucket); // call 0: a read whose answer is kept outside the pass
      CallScope.kept();
      return assertThrows(RemoteException.class, () -> RateLimiters.acquire(bucket)); // call 1: none left
    });
    assertTrue(RateLimiters.reservedHere(thrown), thrown.getMessage());
    assertEquals(200, thrown.retryAfter().orElseThrow().toMillis(), "only the throttled call is reserved: 1 token");
    advance(thrown.retryAfter().orElseThrow());
    CallScope.run("uid-1", ROUTINE, () -> {
      RateLimiters.acquire(bucket); // the retry makes only the throttled call
      return null;
    });
    assertEquals(0, bucket.queued());
    assertEquals(0, bucket.grantedTokens());
  }

  @Test
  void tokensAPassWasGrantedAndDidNotUseGoBackWhenItEnds() {
    TokenBucket bucket = new TokenBucket(5, 3, nanos::get);
    for (int i = 0; i < 3; i++) {
      bucket.tryAcquire();
    }
    RemoteException thrown = CallScope.run("uid-1", ROUTINE, () -> {
      try {
        for (int call = 0; call < 3; call++) {
          RateLimiters.acquire(bucket);
        }
        return null;
      } catch (RemoteException e) {
        return e;
      }
    });
    assertEquals(200, thrown.retryAfter().orElseThrow().toMillis(), "the first call found none: one token reserved");
    advance(Duration.ofMillis(600)); // three tokens earned: one granted to uid-1, two free
    CallScope.run("uid-1", ROUTINE, () -> {
      RateLimiters.acquire(bucket); // this time the pass needs one call only
      return null;
    });
    assertEquals(0, bucket.grantedTokens());
    int free = 0;
    while (bucket.tryAcquire().isZero()) {
      free++;
    }
    assertEquals(2, free, "the two tokens earned beside the grant are free; the grant was used");
  }

  @Test
  void holdersComingBackLateAndTogetherSendNoMoreThanTheBurstAtOnce() {
    int burst = 5;
    TokenBucket bucket = new TokenBucket(5, burst, nanos::get);
    for (int i = 0; i < burst; i++) {
      bucket.tryAcquire();
    }
    for (int i = 0; i < 200; i++) {
      bucket.reserve("poll-" + i, ROUTINE);
    }
    // The reconcile threads are busy: nobody comes back for 8 s while the bucket keeps being asked.
    for (int step = 0; step < 80; step++) {
      advance(Duration.ofMillis(100));
      bucket.tryAcquire();
    }
    int sent = 0;
    for (int i = 0; i < 200; i++) {
      if (bucket.reserve("poll-" + i, ROUTINE).isZero()) {
        sent++;
      }
    }
    assertEquals(burst, sent, "40 s of reservations were due; only the burst's worth can be granted at once");
    for (int tick = 0; tick < 10; tick++) { // a second more, everyone retrying every 100 ms
      advance(Duration.ofMillis(100));
      for (int i = 0; i < 200; i++) {
        if (bucket.reserve("poll-" + i, ROUTINE).isZero()) {
          sent++;
        }
      }
    }
    assertTrue(sent <= burst + 5, "burst plus one second at the rate, not more: " + sent);
    assertTrue(sent >= burst + 4, "and the rate is used: " + sent);
  }

  @Test
  void aPassLongerThanTheBurstBorrowsAndCompletes() {
    TokenBucket bucket = new TokenBucket(5, 1, nanos::get);
    int made = CallScope.run("long-pass", URGENT, () -> {
      for (int call = 0; call < 4; call++) {
        RateLimiters.acquire(bucket);
      }
      return 4;
    });
    assertEquals(4, made);
    assertEquals(800, bucket.tryAcquire().toMillis(), "the three borrowed tokens are paid back first");
  }

  @Test
  void aCallerWaitingInPlaceGoesAheadOfEveryPassReservation() {
    TokenBucket bucket = new TokenBucket(5, 5, nanos::get);
    for (int i = 0; i < 5; i++) {
      bucket.tryAcquire();
    }
    for (int i = 0; i < 40; i++) {
      bucket.take("create-" + i, URGENT, 4); // passes that reached their fourth call
    }
    Duration check = bucket.reserve(":inline:1", CallScope.Priority.IN_PLACE);
    assertEquals(200, check.toMillis(), "a ControlPlane check waits for the next token, not behind 160 reserved");
  }

  @Test
  void aLoweredLimitOwesAtMostOneBurstForTheGrantsMadeUnderTheOldOne() {
    TokenBucket bucket = new TokenBucket(200, 50, nanos::get);
    for (int i = 0; i < 50; i++) {
      bucket.tryAcquire();
    }
    for (int i = 0; i < 25; i++) {
      bucket.take("poll-" + i, ROUTINE, 2);
    }
    advance(Duration.ofMillis(250)); // 50 tokens earned: all 25 reservations granted, 2 each
    bucket.tryAcquire();
    assertEquals(50, bucket.grantedTokens());
    bucket.limit(5, 5); // the ControlPlane's rateLimit is lowered
    Duration check = bucket.reserve(":inline:1", CallScope.Priority.IN_PLACE);
    assertTrue(check.toMillis() <= 1200, "a check waits at most one burst's worth, not 9 s: " + check.toMillis());
    int sent = 0;
    for (int i = 0; i < 25; i++) {
      if (bucket.take("poll-" + i, ROUTINE, 1).isZero()) {
        sent++;
      }
    }
    assertEquals(25, sent, "the grants stay their holders'");
  }

  @Test
  void aPauseHoldsBackATokenGrantedBeforeIt() {
    TokenBucket bucket = new TokenBucket(5, 1, nanos::get);
    bucket.reserve("a", ROUTINE);
    bucket.reserve("b", ROUTINE);
    advance(Duration.ofMillis(200));
    bucket.tryAcquire(); // b's token is granted now
    bucket.pauseFor(Duration.ofSeconds(2)); // then the remote answers 429
    assertEquals(2000, bucket.reserve("b", ROUTINE).toMillis(), "b keeps its token but waits out the pause");
    advance(Duration.ofSeconds(2));
    assertEquals(Duration.ZERO, bucket.reserve("b", ROUTINE));
  }

  @Test
  void aPassRemembersThatItSentAWrite() {
    assertTrue(!CallScope.sentWrite(), "outside a pass: nothing sent");
    boolean[] seen = new boolean[2];
    CallScope.run("uid-2", URGENT, () -> {
      CallScope.sending(ApiRequest.get("getDeployment", "/v2/deployments/x", null));
      seen[0] = CallScope.sentWrite();
      CallScope.sending(new ApiRequest("createDeployment", "POST", "/v2/deployments", null, "{}", null));
      seen[1] = CallScope.sentWrite();
      return null;
    });
    assertTrue(!seen[0], "a GET is no write");
    assertTrue(seen[1], "a POST is");
    assertTrue(!CallScope.sentWrite(), "the next pass starts clean");
  }
}

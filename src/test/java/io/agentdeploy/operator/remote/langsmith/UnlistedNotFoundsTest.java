package io.agentdeploy.operator.remote.langsmith;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A deletion's 404 waits for its list for at most five minutes, and only until a list answers. */
class UnlistedNotFoundsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final UnlistedNotFounds memory = new UnlistedNotFounds(nanos::get);

  @Test
  void aRememberedNotFoundIsPendingUntilItsListAnswers() {
    assertFalse(memory.pending("5c2102a9-1e48-4c42-86b5-eeea95f2dfd1"));
    memory.remember("5C2102A9-1E48-4C42-86B5-EEEA95F2DFD1");
    assertTrue(memory.pending("5c2102a9-1e48-4c42-86b5-eeea95f2dfd1"), "ids compare without case");
    memory.forget("5c2102a9-1e48-4c42-86b5-eeea95f2dfd1");
    assertFalse(memory.pending("5c2102a9-1e48-4c42-86b5-eeea95f2dfd1"));
  }

  @Test
  void anOldNotFoundIsReadAgain() {
    memory.remember("88513d9d-fda1-4c33-ae07-4740b2fd3aa8");
    nanos.addAndGet(UnlistedNotFounds.MAX_AGE.toNanos());
    assertTrue(memory.pending("88513d9d-fda1-4c33-ae07-4740b2fd3aa8"), "five minutes is still young enough");
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertFalse(memory.pending("88513d9d-fda1-4c33-ae07-4740b2fd3aa8"), "older: the deployment is read again");
  }
}

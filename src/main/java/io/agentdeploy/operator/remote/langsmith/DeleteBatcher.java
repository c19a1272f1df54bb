package io.agentdeploy.operator.remote.langsmith;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentdeploy.operator.remote.RemoteException;
import io.agentdeploy.operator.remote.http.ApiRequest;
import io.agentdeploy.operator.remote.http.ApiResponse;
import io.agentdeploy.operator.remote.http.CallScope;
import io.agentdeploy.operator.remote.http.Endpoint;
import io.agentdeploy.operator.remote.http.HttpTransport;
import io.agentdeploy.operator.remote.http.RateLimiters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers one account's deletes for a short window into one {@code DELETE /v2/deployments} with
 * repeated {@code deployment_ids} (at most 100). No extra thread: the first caller of a batch waits
 * the window and sends it, unless the batch fills up first, then the caller that filled it sends it
 * at once; every caller gets its own answer. The bulk call takes the sender's token: without one
 * now, the whole batch is given back with the sender (see {@link #send}). The endpoint is only in
 * the newest docs, so any other answer but a 200 hands each id back to its caller to delete alone,
 * and a route that does not exist (405, or a 404 that names none of the ids) turns batching off for
 * this account for the process's life.
 * A 200 proves nothing about absence: the caller's deletion still waits for a confirmed not-found.
 * One list of the batch's ids right after a 200 gives every caller the list half of that
 * confirmation at once (an id it does not hold), instead of one list per id.
 */
final class DeleteBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(DeleteBatcher.class);
  static final int MAX_IDS = 100;

  /**
   * What a caller does next: its id was accepted by a bulk call (and a list of the batch right
   * after did not hold it: {@code ACCEPTED_UNLISTED}), or it deletes the id itself.
   */
  enum Answer { ACCEPTED, ACCEPTED_UNLISTED, PER_ITEM }

  private final Duration window;
  /** Set once the control plane showed it has no bulk route; never cleared (the process's lifetime). */
  private final AtomicBoolean noBulk = new AtomicBoolean();
  private Batch open;

  private static final class Batch {
    final List<String> ids = new ArrayList<>();
    final List<CompletableFuture<Answer>> answers = new ArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
  }

  DeleteBatcher(Duration window) {
    this.window = window;
  }

  /**
   * Joins the open batch (or opens one) and returns this id's answer; waits at most the window plus
   * one call. The caller that sends a batch sends it through its own transport and endpoint (the
   * account's current rate limiter), which equal the others' but for that.
   */
  Answer delete(HttpTransport transport, Endpoint endpoint, String deploymentId) {
    if (noBulk.get()) {
      return Answer.PER_ITEM;
    }
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    Batch batch;
    boolean leader;
    boolean full;
    synchronized (this) {
      leader = open == null;
      if (leader) {
        open = new Batch();
      }
      batch = open;
      batch.ids.add(deploymentId);
      batch.answers.add(mine);
      full = batch.ids.size() >= MAX_IDS;
      if (full) {
        open = null;
        batch.closed.countDown();
      }
    }
    if (full || (leader && awaitWindow(batch))) {
      send(transport, endpoint, batch, mine);
    }
    Answer answer = await(mine);
    if (answer != Answer.PER_ITEM) {
      CallScope.writeSentOnItsBehalf();
    }
    return answer;
  }

  /** The leader's wait: true when the window closed the batch (the leader sends it), false when it filled up. */
  private boolean awaitWindow(Batch batch) {
    boolean interrupted = false;
    try {
      batch.closed.await(window.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      interrupted = true; // the batch is still sent: the others in it wait for it
    }
    synchronized (this) {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (open != batch) {
        return false;
      }
      open = null;
      batch.closed.countDown();
      return true;
    }
  }

  /** This id's answer; the sender's reservation when the bulk call found no token (see {@link #send}). */
  private static Answer await(CompletableFuture<Answer> answer) {
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException(RemoteException.Kind.RETRYABLE, 0, "interrupted", null, null, null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RemoteException reserved && RateLimiters.reservedHere(reserved)) {
        throw reserved;
      }
      return Answer.PER_ITEM;
    }
  }

  /**
   * Sends the batch. When the account's budget has no token for the bulk call now, the sender's pass
   * holds a reserved one; every caller in the batch is given back with the sender's time to come
   * back, so they meet again in one batch that the reserved token sends. Deleting them one by one
   * instead would spend a token per id exactly when tokens are short.
   */
  private void send(HttpTransport transport, Endpoint endpoint, Batch batch, CompletableFuture<Answer> sender) {
    Answer answer = Answer.PER_ITEM;
    Set<String> unlisted = Set.of();
    RemoteException reserved = null;
    try {
      // A lone id costs one call either way; per item it also keeps the per-item answer's meaning.
      if (batch.ids.size() > 1 && !noBulk.get()) {
        answer = bulk(transport, endpoint, batch.ids);
        if (answer == Answer.ACCEPTED) {
          unlisted = unlisted(transport, endpoint, batch.ids);
        }
      }
    } catch (RemoteException e) {
      if (RateLimiters.reservedHere(e)) {
        reserved = e;
      } else {
        LOG.debug("bulk delete failed, deleting one by one", e);
      }
    } catch (RuntimeException unexpected) {
      LOG.debug("bulk delete failed, deleting one by one", unexpected);
    } finally {
      for (int i = 0; i < batch.answers.size(); i++) {
        if (reserved != null) {
          CompletableFuture<Answer> caller = batch.answers.get(i);
          caller.completeExceptionally(caller == sender ? reserved : followingSender(reserved));
        } else {
          batch.answers.get(i).complete(answer == Answer.ACCEPTED && unlisted.contains(batch.ids.get(i))
              ? Answer.ACCEPTED_UNLISTED : answer);
        }
      }
    }
  }

  /**
   * The ids a list of exactly these ids, right after their delete was accepted, answers 200
   * without; none when the list fails or answers ids it was not asked for (it ignores the filter).
   */
  private static Set<String> unlisted(HttpTransport transport, Endpoint endpoint, List<String> ids) {
    try {
      ApiResponse response = transport.send(endpoint, ApiRequest.get("listDeployments", "/v2/deployments",
          Map.of("deployment_ids", String.join(",", ids), "limit", Integer.toString(MAX_IDS))));
      Set<String> asked = ids.stream().map(id -> id.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
      Set<String> listed = new HashSet<>();
      JsonNode resources = LangSmithMapper.WIRE.readTree(response.body()).path("resources");
      if (!resources.isArray()) {
        return Set.of();
      }
      for (JsonNode d : resources) {
        String id = d.path("id").asText().toLowerCase(Locale.ROOT);
        if (!asked.contains(id)) {
          return Set.of();
        }
        listed.add(id);
      }
      return ids.stream().filter(id -> !listed.contains(id.toLowerCase(Locale.ROOT))).collect(Collectors.toSet());
    } catch (java.io.IOException | RuntimeException e) { // a refused or failed list, an unreadable body
      LOG.debug("listing the bulk-deleted ids failed; each is confirmed alone", e);
      return Set.of();
    }
  }

  /**
   * The sender's reservation as the others in its batch get it: due half a window after the sender,
   * so the sender, which holds the token, is back first and opens the batch they join.
   */
  private RemoteException followingSender(RemoteException reserved) {
    Duration due = reserved.retryAfter().orElse(Duration.ZERO).plus(window.dividedBy(2));
    // The sender's message, so the pass reads it as a reservation (RateLimiters.reservedHere) and is
    // given back quietly, though the token is the sender's.
    return new RemoteException(RemoteException.Kind.RATE_LIMITED, 0, reserved.getMessage(), due, null, null);
  }

  /** The bulk call's answer; throws the sender's reservation when the budget has no token now. */
  private Answer bulk(HttpTransport transport, Endpoint endpoint, List<String> ids) {
    try {
      ApiResponse response = transport.send(endpoint, new ApiRequest("deleteDeployments", "DELETE",
          "/v2/deployments", null, null, Set.of(), Map.of("deployment_ids", ids)));
      // 207 is partial success with an unpublished body: which ids failed is unknown, so each goes alone.
      return response.status() == 200 ? Answer.ACCEPTED : Answer.PER_ITEM;
    } catch (RemoteException e) {
      if (RateLimiters.reservedHere(e)) {
        throw e;
      }
      if (routeMissing(e, ids) && !noBulk.getAndSet(true)) {
        LOG.info("{} answered {} to the bulk delete route (DELETE /v2/deployments): it has no bulk delete; "
            + "deleting one by one on this account from now on", endpoint, e.httpStatus());
      }
      return Answer.PER_ITEM;
    }
  }

  /** 405, or a 404 that is not the API's not-found for one of the ids (a route mismatch, a proxy page). */
  private static boolean routeMissing(RemoteException e, List<String> ids) {
    if (e.httpStatus() == 405) {
      return true;
    }
    if (e.httpStatus() != 404) {
      return false;
    }
    String detail = e.apiDetail().map(d -> d.toLowerCase(Locale.ROOT)).orElse("");
    return ids.stream().noneMatch(id -> detail.contains(id.toLowerCase(Locale.ROOT)));
  }
}

package io.agentdeploy.operator.controller;

import io.agentdeploy.operator.api.ControlPlaneKind;
import io.agentdeploy.operator.remote.AccountKey;
import io.agentdeploy.operator.remote.http.EffectiveLimit;
import io.agentdeploy.operator.remote.http.RateLimiters;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The resync of settled Agentex deployments against the account's budget. Agentex lists without
 * an id filter, so each live deploy costs one GET per resync: N of them on an account whose rate
 * limit is B requests/s need N / B seconds. When that is longer than the resync, the resync
 * stretches to it (each pass lands somewhere in [N/B, 1.2 N/B], which spreads them evenly and
 * keeps the rate under B) and the stretched value is exported per ControlPlane (labelled like
 * {@code agentdeploy_controlplane_ready}: kind, namespace, name; no account or tenant id). A terminal deploy
 * (failed, nothing more will happen to it) leaves the count and is not polled on the resync.
 */
final class AgentexResync {
  /** How often a terminal deploy is looked at anyway (deleted outside, say): far less than the resync. */
  static final int TERMINAL_RESYNCS = 6;

  private final Duration resync;
  private final RateLimiters limiters;
  private final OperatorMetrics metrics;
  /** Live Agentex resources per account (uid, last pass): the N of the budget. */
  private final Map<AccountKey, Map<String, Instant>> live = new ConcurrentHashMap<>();

  AgentexResync(Duration resync, RateLimiters limiters, OperatorMetrics metrics) {
    this.resync = resync;
    this.limiters = limiters;
    this.metrics = metrics;
  }

  /** When a settled, live deployment is looked at next: the resync, stretched for an Agentex account over budget. */
  Duration settled(ReconcilePass p) {
    if (!p.recordPerChange || p.target == null) {
      return resync;
    }
    AccountKey account = p.target.account();
    Map<String, Instant> seen = live.computeIfAbsent(account, k -> new ConcurrentHashMap<>());
    seen.put(p.key(), p.now);
    Duration effective = effective(account, seen.size());
    // A resource not back within two of its periods is gone (deleted, moved, terminal elsewhere).
    Instant stale = p.now.minus(effective.multipliedBy(2).plus(resync));
    seen.values().removeIf(last -> last.isBefore(stale));
    var ref = p.resource.getSpec().getControlPlaneRef();
    boolean cluster = ref.kindOrDefault() == ControlPlaneKind.ClusterControlPlane;
    metrics.effectiveResync(ref.kindOrDefault().name(), cluster ? "" : p.resource.getMetadata().getNamespace(),
        ref.getName(), effective);
    return effective.plusMillis(ThreadLocalRandom.current().nextLong(effective.toMillis() / 5 + 1));
  }

  /**
   * A terminal deploy: out of the count, and looked at only every {@link #TERMINAL_RESYNCS} resyncs,
   * of the stretched resync when the account is over budget (else it would be read more often than
   * the live deploys it leaves the budget to).
   */
  Duration terminal(ReconcilePass p) {
    if (!p.recordPerChange || p.target == null) {
      return resync;
    }
    Map<String, Instant> seen = live.get(p.target.account());
    if (seen != null) {
      seen.remove(p.key());
    }
    return effective(p.target.account(), seen == null ? 0 : seen.size()).multipliedBy(TERMINAL_RESYNCS);
  }

  /** max(resync, N / budget): what the account's rate limit allows for N deploys at one GET each. */
  Duration effective(AccountKey account, int deploys) {
    double budget = limiters.effective(account).map(EffectiveLimit::requestsPerSecond).orElse(0.0);
    if (budget <= 0) {
      return resync;
    }
    Duration needed = Duration.ofMillis((long) Math.ceil(deploys / budget * 1000));
    return needed.compareTo(resync) > 0 ? needed : resync;
  }
}

package io.agentdeploy.operator.simulator;

import io.agentdeploy.operator.config.DurationConverter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simulator}: serves the fake control-plane APIs (loopback by default) until stopped. */
@Command(name = "simulator", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Serve stateful fakes of the LangSmith Deployment Control Plane API v2 and the Agentex v5 "
        + "deployments API, on loopback unless --bind says otherwise.")
public class SimulatorCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8090", description = "Port to listen on (0 picks a free one).")
  int port;

  // In a cluster sandbox the operator reaches the simulator through a Service: it listens on 0.0.0.0.
  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 (every address, e.g. in a "
          + "pod behind a Service) or one address of this machine.")
  InetAddress bind;

  @Option(names = "--api-key", description = "The only accepted API key; without it any non-empty key is accepted.")
  String apiKey;

  @Option(names = "--step", defaultValue = "200ms", converter = DurationConverter.class,
      description = "Time a revision spends in each status.")
  Duration step;

  @Option(names = "--database-delay", defaultValue = "200ms", converter = DurationConverter.class,
      description = "Time a new deployment reads AWAITING_DATABASE.")
  Duration databaseDelay;

  @Option(names = "--deletion-delay", defaultValue = "1s", converter = DurationConverter.class,
      description = "Time a deleted deployment reads AWAITING_DELETE before it is gone.")
  Duration deletionDelay;

  @Option(names = "--patch-during-rollout", defaultValue = "QUEUE",
      description = "QUEUE or REJECT a revision-creating PATCH while a revision is in progress.")
  SimulatorConfig.PatchDuringRollout patchDuringRollout;

  @Option(names = "--redeploy-mode", defaultValue = "CLONE",
      description = "CLONE (a new revision with the target's config) or REUSE (the target revision itself) "
          + "for POST .../revisions/{rid}/redeploy.")
  SimulatorConfig.RedeployMode redeployMode;

  @Option(names = "--fail-image-pattern", description = "Regex on image_uri: matching revisions end DEPLOY_FAILED.")
  List<String> failImages = new ArrayList<>();

  @Option(names = "--fail-repo-ref-pattern", description = "Regex on repo_ref: matching revisions end BUILD_FAILED.")
  List<String> failRefs = new ArrayList<>();

  @Option(names = "--latency", defaultValue = "0ms", converter = DurationConverter.class,
      description = "Added to every answer.")
  Duration latency;

  @Option(names = "--fault-rate", defaultValue = "0", description = "Probability (0..1) that a call answers 500.")
  double faultRate;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of ids and random faults.")
  long seed;

  @Option(names = "--bulk-delete-status",
      description = "Test only: every LangSmith bulk DELETE /v2/deployments answers this status (e.g. 207, 404, "
          + "405) and deletes nothing, to exercise a client's fallback.")
  Integer bulkDeleteStatus;

  /** The simulator settings these options describe. */
  public SimulatorConfig config() {
    List<FailureRule> rules = new ArrayList<>();
    failImages.forEach(p -> rules.add(FailureRule.image(p, "DEPLOY_FAILED")));
    failRefs.forEach(p -> rules.add(FailureRule.repoRef(p, "BUILD_FAILED")));
    return SimulatorConfig.defaults().withPort(port).withBindAddress(bind).withApiKey(apiKey)
        .withTimings(step, databaseDelay, deletionDelay).withPatchDuringRollout(patchDuringRollout)
        .withRedeployMode(redeployMode)
        .withFailureRules(rules).withFaults(latency, faultRate, seed)
        // Nothing reads the requests of a simulator in its own process; a sandbox's would grow for weeks.
        .withRequestLogCapacity(0);
  }

  @Override
  public Integer call() throws Exception {
    try (Simulator simulator = Simulator.start(config())) {
      if (bulkDeleteStatus != null) {
        simulator.faults().always(SimOperation.DELETE_DEPLOYMENTS, new Fault.Status(bulkDeleteStatus));
      }
      System.out.println("simulator: listening on " + simulator.listening() + ": LangSmith API v2 under /v2 "
          + "(also /api-host/v2), Agentex under /v5/agentex; API key " + (apiKey == null ? "any" : "--api-key only"));
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "simulator-shutdown"));
      stop.await();
    }
    return 0;
  }
}

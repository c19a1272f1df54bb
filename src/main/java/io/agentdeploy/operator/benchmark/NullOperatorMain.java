package io.agentdeploy.operator.benchmark;

import io.agentdeploy.operator.config.LogSetup;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.time.Duration;
import java.util.Set;

/**
 * The null operator as a process of its own (KUBECONFIG names the API): JOSDK with the same
 * settings the real operator uses where they bear on cost (all namespaces, no server-side apply,
 * the same resync), and {@link NullReconciler}. Arguments: the resync interval in milliseconds, then
 * {@value #EVENTS} for the variant that also writes one Event per create and per deletion.
 */
public final class NullOperatorMain {
  static final String READY = "NULL-OPERATOR-STARTED";
  static final String EVENTS = "events";

  private NullOperatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    // As the operator's own main does: a thread per HTTP response on a 2-CPU machine is no work an
    // operator must do, so the floor does not pay for it either.
    io.agentdeploy.operator.runtime.CommonPool.atLeastTwoThreads();
    LogSetup.configure("text", "warn");
    Duration resync = Duration.ofMillis(Long.parseLong(args[0]));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
    Operator operator = new Operator(o -> o.withKubernetesClient(client).withUseSSAToPatchPrimaryResource(false)
        .withCloseClientOnStop(true));
    boolean events = args.length > 1 && EVENTS.equals(args[1]);
    operator.register(new NullReconciler(events ? client : null), c -> {
      c.settingNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES));
      c.withReconciliationMaxInterval(resync);
    });
    operator.start();
    Runtime.getRuntime().addShutdownHook(new Thread(operator::stop, "shutdown"));
    System.out.println(READY);
    System.out.flush();
    Thread.currentThread().join();
  }
}

package io.agentdeploy.operator.benchmark;

import io.agentdeploy.operator.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Starts the three processes of a run, each a JVM of its own, and waits until each is ready. */
final class ProcessLauncher {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final BenchmarkSettings settings;

  ProcessLauncher(BenchmarkSettings settings) {
    this.settings = settings;
  }

  /** The fabric8 mock API server; its URL is the child's {@link ChildJvm#readyMatch()}. */
  ChildJvm apiServer(String run) {
    return ChildJvm.start("mock API server", options("-Xmx" + settings.apiServerHeapMib() + "m"),
        MockApiServerMain.class.getName(), List.of(), Map.of(),
        Pattern.compile(Pattern.quote(MockApiServerMain.READY) + "(\\S+)"), log(run, "api-server"), START_TIMEOUT);
  }

  /**
   * The simulator; its base URL is {@code http://} plus the child's {@link ChildJvm#readyMatch()}. It
   * stands in for a control plane on other machines, yet shares this machine's cores with the process
   * measured (and only the real operator uses it): C1 only and the serial collector keep its JIT and
   * GC threads off them (about half its CPU in a cold run was C2 compiling).
   */
  ChildJvm simulator(String run) {
    return ChildJvm.start("simulator", options("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), Main.class.getName(), List.of("simulator", "--port=0",
        "--step=" + millis(settings.step()), "--database-delay=" + millis(settings.databaseDelay()),
        "--deletion-delay=" + millis(settings.deletionDelay()), "--latency=" + millis(settings.latency())), Map.of(),
        Pattern.compile("listening on (\\S+):"), log(run, "simulator"), START_TIMEOUT);
  }

  /** The operator of {@code kind} against the API server at {@code apiUrl}; the real one serves /metrics on {@code httpPort}. */
  ChildJvm operator(OperatorKind kind, String run, String apiUrl, int httpPort) {
    Map<String, String> environment = Map.of("KUBECONFIG", kubeconfig(run, apiUrl).toString());
    return switch (kind) {
      case REAL -> ChildJvm.start("operator", operatorOptions(), Main.class.getName(), List.of("run",
          "--http-port=" + httpPort, "--server-side-apply=false", "--leader-election=false",
          "--resync-interval=" + millis(settings.resync()), "--poll-initial=" + millis(settings.pollInitial())),
          environment, Pattern.compile("operator started"), log(run, "operator"), START_TIMEOUT);
      case NULL -> ChildJvm.start("null operator", operatorOptions(), NullOperatorMain.class.getName(),
          nullOperatorArguments(), environment,
          Pattern.compile(NullOperatorMain.READY), log(run, "operator"), START_TIMEOUT);
    };
  }

  private List<String> nullOperatorArguments() {
    String resync = Long.toString(settings.resync().toMillis());
    return settings.nullEvents() ? List.of(resync, NullOperatorMain.EVENTS) : List.of(resync);
  }

  private List<String> options(String... own) {
    List<String> all = new java.util.ArrayList<>(List.of(own));
    all.addAll(settings.jvmOptions());
    return all;
  }

  private List<String> operatorOptions() {
    List<String> all = options();
    all.addAll(settings.operatorJvmOptions());
    return all;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String millis(Duration d) {
    return d.toMillis() + "ms";
  }

  private Path log(String run, String process) {
    return settings.logs().resolve(run + "-" + process + ".log");
  }

  private Path kubeconfig(String run, String apiUrl) {
    Path file = settings.logs().resolve(run + "-kubeconfig");
    try {
      Files.writeString(file, """
          apiVersion: v1
          kind: Config
          clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
          users: [{name: mock, user: {token: benchmark}}]
          contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: default}}]
          current-context: mock
          """.formatted(apiUrl));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}

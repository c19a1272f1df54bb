package io.agentdeploy.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * On a machine with two CPUs CompletableFuture's async tasks each get a new thread unless the
 * common pool has two threads or more. Each case runs in a child JVM told how many CPUs it has
 * (the JDK reads the setting once per process).
 */
class CommonPoolTest {

  /** Runs in the child: sets the pool up as asked, runs async tasks, prints what it saw. */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      switch (args[0]) {
        case "main" -> {
          // The operator's own entry point, which exits: the hook reports what it left behind.
          Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(report())));
          io.agentdeploy.operator.Main.main(new String[] {"--version"});
        }
        case "set" -> {
          CommonPool.atLeastTwoThreads();
          System.out.println(report());
        }
        default -> System.out.println(report());
      }
    }

    private static String report() {
      Set<String> threads = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Void>> tasks = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        tasks.add(CompletableFuture.runAsync(() -> threads.add(Thread.currentThread().getName())));
        tasks.get(i).join();
      }
      return "parallelism=" + ForkJoinPool.getCommonPoolParallelism() + " threads=" + threads.size();
    }
  }

  private static Map<String, Integer> probe(int cpus, String mode, String... jvmOptions) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:ActiveProcessorCount=" + cpus, "-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of(Probe.class.getName(), mode));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
    String line = out.lines().filter(l -> l.startsWith("parallelism=")).findFirst()
        .orElseThrow(() -> new AssertionError("no report from the probe: " + out));
    return java.util.Arrays.stream(line.split(" ")).map(kv -> kv.split("="))
        .collect(Collectors.toMap(kv -> kv[0], kv -> Integer.parseInt(kv[1])));
  }

  @Test
  void withTwoCpusTheJdkAloneRunsEachAsyncTaskOnANewThread() throws Exception {
    // The behaviour the setting exists for: without it, 40 tasks, 40 threads.
    Map<String, Integer> seen = probe(2, "default");
    assertEquals(1, seen.get("parallelism"));
    assertEquals(40, seen.get("threads"));
  }

  @Test
  void theOperatorsEntryPointKeepsAsyncTasksOnTwoThreadsWithTwoCpus() throws Exception {
    Map<String, Integer> seen = probe(2, "main");
    assertEquals(2, seen.get("parallelism"));
    assertTrue(seen.get("threads") <= 2, "threads: " + seen.get("threads"));
  }

  @Test
  void oneCpuGetsTwoThreadsToo() throws Exception {
    assertEquals(2, probe(1, "set").get("parallelism"));
  }

  @Test
  void aValueTheUserGaveAndMoreCpusAreLeftAlone() throws Exception {
    assertEquals(1, probe(2, "set", "-D" + CommonPool.PARALLELISM + "=1").get("parallelism"));
    assertEquals(5, probe(6, "set").get("parallelism"));
  }
}

package io.agentdeploy.operator.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.runtime.DemoDependencies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar in the production image's layout (the jar and target/lib/*.jar, as the Dockerfile
 * copies them, without lib/demo/): no demo-only dependency, `--help` and `simulator --help` work,
 * `demo` answers one line; and from the repository (with lib/demo/) the demo still converges.
 */
class ProductionLayoutIT {
  private static final Path JAR = Path.of("target/agent-deployment-operator.jar");
  private static final Path LIB = Path.of("target/lib");

  record Run(int exit, String out, String err) {}

  private static Run java(Path jar, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("out", ".log");
    Path err = Files.createTempFile("err", ".log");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static Path imageLayout(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("lib"));
    try (Stream<Path> jars = Files.list(LIB)) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        Files.copy(jar, dir.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return Files.copy(JAR, dir.resolve(JAR.getFileName()));
  }

  @Test
  void theImageLayoutLeavesTheDemoOutAndSaysSo(@TempDir Path dir) throws Exception {
    Path jar = imageLayout(dir);
    try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
      List<String> demoOnly = jars.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("(netty|vertx|bc[a-z]+-jdk|kubernetes-server-mock|mockwebserver).*")).toList();
      assertTrue(demoOnly.isEmpty(), "demo-only jars in the production lib/: " + demoOnly);
    }

    Run help = java(jar, "--help");
    assertEquals(0, help.exit(), help.err());
    assertTrue(help.out().contains("Usage:"), help.out());
    Run simulator = java(jar, "simulator", "--help");
    assertEquals(0, simulator.exit(), simulator.err());

    Run demo = java(jar, "demo");
    assertEquals(1, demo.exit());
    assertEquals(DemoDependencies.MISSING, demo.err().strip(), "exactly one line, no stack trace");
    assertFalse(demo.out().contains("Exception"), demo.out());
  }

  @Test
  void fromTheRepositoryTheDemoStillRuns() throws Exception {
    Run demo = java(JAR, "demo");
    assertEquals(0, demo.exit(), demo.out() + demo.err());
    assertTrue(demo.out().contains("Demo finished: every resource converged"), demo.out());
  }
}

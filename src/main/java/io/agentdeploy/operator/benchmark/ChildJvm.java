package io.agentdeploy.operator.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process of the benchmark: a JVM started from this JVM's own java binary and class path, so
 * it works from the jar ({@code java -jar}: the jar's manifest brings its lib/) and from a test's
 * class path alike. Its output goes to a log file once it printed the line that says it is ready.
 */
final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final String readyMatch;
  private final Thread stopOnExit;

  private ChildJvm(String name, Process process, String readyMatch, Thread stopOnExit) {
    this.name = name;
    this.process = process;
    this.readyMatch = readyMatch;
    this.stopOnExit = stopOnExit;
  }

  /**
   * Starts {@code mainClass} and waits until a line of its output matches {@code ready}.
   *
   * @return the child, with the ready line's first group (or the whole line) in {@link #readyMatch()}
   */
  static ChildJvm start(String name, List<String> jvmOptions, String mainClass, List<String> args,
      Map<String, String> environment, Pattern ready, Path log, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the " + name, e);
    }
    // Ctrl-C of the benchmark must not leave an operator or a simulator running (the API server
    // also stops by itself when its stdin closes).
    Thread stopOnExit = new Thread(process::destroyForcibly, name + "-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    CompletableFuture<String> readyLine = new CompletableFuture<>();
    Thread pump = new Thread(() -> pump(process, ready, log, readyLine), name + "-output");
    pump.setDaemon(true);
    pump.start();
    try {
      String match = readyLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ChildJvm(name, process, match, stopOnExit);
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the " + name + " did not start within " + timeout.toSeconds() + " s (its "
          + "output is in " + log + ")", e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the " + name + " started", e);
    }
  }

  /** Copies the child's output to the log, completing {@code readyLine} at the first match. */
  private static void pump(Process process, Pattern ready, Path log, CompletableFuture<String> readyLine) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        Matcher m = ready.matcher(line);
        if (!readyLine.isDone() && m.find()) {
          readyLine.complete(m.groupCount() > 0 ? m.group(1) : line);
        }
      }
    } catch (IOException e) {
      readyLine.completeExceptionally(e);
    }
    if (!readyLine.isDone()) {
      readyLine.completeExceptionally(new IllegalStateException("exited with " + exitCode(process)));
    }
  }

  private static String exitCode(Process process) {
    try {
      return Integer.toString(process.waitFor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  String name() {
    return name;
  }

  String readyMatch() {
    return readyMatch;
  }

  long pid() {
    return process.pid();
  }

  /** CPU seconds and memory now, from /proc. */
  ProcessSample sample() {
    return ProcessSample.of(process.pid());
  }

  /** SIGTERM, then SIGKILL after 20 s: the operator finishes its shutdown hook in between. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it stops the process anyway.
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}

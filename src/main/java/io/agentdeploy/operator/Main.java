package io.agentdeploy.operator;

import io.agentdeploy.operator.simulator.SimulatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: the operator by default (also as {@code run}), or the {@code demo}, {@code simulator},
 * {@code preuninstall} (the Helm pre-delete hook) and {@code benchmark} subcommands.
 */
@Command(name = "agent-deployment-operator", mixinStandardHelpOptions = true, version = "0.1.0",
    showDefaultValues = true,
    description = "Kubernetes operator for AI agent deployments on remote control planes. Without a "
        + "subcommand it runs the operator, as 'run' does.")
public class Main extends RunCommand {
  public static void main(String[] args) {
    // First: the JDK reads it when the common pool is first used.
    io.agentdeploy.operator.runtime.CommonPool.atLeastTwoThreads();
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return commandLine(new Main(), new RunCommand());
  }

  /** With the operator's commands given, so a test can read the settings each parsed. */
  static CommandLine commandLine(Main main, RunCommand run) {
    // "run" by name too, as the docs and most operators' images spell it. Subcommands are added here
    // rather than in the annotation, which picocli refuses for a subclass of the command itself.
    return new CommandLine(main).addSubcommand("run", run)
        .addSubcommand("demo", new DemoCommand()).addSubcommand("simulator", new SimulatorCommand())
        .addSubcommand("preuninstall", new PreUninstallCommand())
        .addSubcommand("benchmark", new io.agentdeploy.operator.benchmark.BenchmarkCommand())
        .setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler(new OneLineErrors());
  }
}

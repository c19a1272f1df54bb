package io.agentdeploy.operator;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: the operator by default, or the {@code demo}, {@code simulator} and
 * {@code preuninstall} (the Helm pre-delete hook) subcommands.
 */
@Command(name = "agent-deployment-operator", mixinStandardHelpOptions = true, version = "0.1.0",
    description = "Kubernetes operator for AI agent deployments on remote control planes.",
    subcommands = {DemoCommand.class, io.agentdeploy.operator.simulator.SimulatorCommand.class,
        PreUninstallCommand.class})
public class Main extends RunCommand {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }
}

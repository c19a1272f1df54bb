package io.agentdeploy.operator;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A command that fails prints one line, "error: what happened", and exits 1, instead of the stack
 * trace picocli prints by default. The trace goes to the log at debug level, for whoever needs it.
 */
final class OneLineErrors implements IExecutionExceptionHandler {
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    org.slf4j.LoggerFactory.getLogger(OneLineErrors.class).debug("{} failed", command.getCommandName(), e);
    command.getErr().println("error: " + summary(e) + " (--log-level=debug shows the stack trace)");
    return FAILED;
  }

  /** The message of the exception and of its causes that add something, on one line. */
  static String summary(Throwable e) {
    StringBuilder line = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      message = message.replaceAll("\\s+", " ").strip();
      if (line.indexOf(message) < 0) {
        line.append(line.length() == 0 ? "" : ": ").append(message);
      }
    }
    return line.toString();
  }
}

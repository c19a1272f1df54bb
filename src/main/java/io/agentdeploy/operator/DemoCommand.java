package io.agentdeploy.operator;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced below. */
@Command(name = "demo")
public class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 1;
  }
}

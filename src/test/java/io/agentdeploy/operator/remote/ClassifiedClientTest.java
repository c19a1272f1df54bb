package io.agentdeploy.operator.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classifying wrapper passes every method of the port on: a method added to the port later
 * with a default body would otherwise answer the default instead of the provider client.
 */
class ClassifiedClientTest {
  @Test
  void everyMethodOfThePortIsPassedOn() {
    List<String> missing = Arrays.stream(RemoteDeploymentClient.class.getMethods()).filter(m -> !declared(m))
        .map(Method::getName).toList();
    assertEquals(List.of(), missing, "port methods ClassifiedClient does not override");
  }

  private static boolean declared(Method m) {
    try {
      ClassifiedClient.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}

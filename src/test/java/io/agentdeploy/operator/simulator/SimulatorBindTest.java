package io.agentdeploy.operator.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code simulator --bind}: a sandbox simulator in a pod must answer on the pod's address (behind a
 * Service), not only on loopback; without the flag it stays on loopback.
 */
class SimulatorBindTest {
  /** An IPv4 address of an interface that is up and not loopback (a pod or a CI runner always has one). */
  static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        Optional<InetAddress> address = Collections.list(nic.getInetAddresses()).stream()
            .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst();
        if (address.isPresent()) {
          return address.get();
        }
      }
    }
    throw new AssertionError("this machine has no non-loopback IPv4 address to test --bind with");
  }

  private static SimulatorConfig parse(String... args) {
    SimulatorCommand command = new SimulatorCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  private static int listDeployments(String baseUrl) throws Exception {
    return new SimClient(baseUrl).call("GET", "/v2/deployments", null).status();
  }

  @Test
  void bindToANonLoopbackAddressAnswersThereWithAnyKey() throws Exception {
    InetAddress address = nonLoopbackAddress();
    try (Simulator sim = Simulator.start(parse("--bind", address.getHostAddress(), "--port", "0"))) {
      String url = "http://" + address.getHostAddress() + ":" + sim.port();
      assertEquals(url, sim.baseUrl());
      assertEquals(200, listDeployments(url));
      SimClient anyKey = new SimClient(url);
      anyKey.apiKey = "whatever-the-sandbox-secret-holds";
      assertEquals(200, anyKey.call("GET", "/v2/deployments", null).status(), "no --api-key: any key is accepted");
      assertEquals(200, new SimClient(url).call("GET", "/v5/agentex/deployments", null).status());
    }
  }

  @Test
  void bindToEveryAddressAnswersOnLoopbackAndTheMachinesAddress() throws Exception {
    InetAddress address = nonLoopbackAddress();
    try (Simulator sim = Simulator.start(parse("--bind", "0.0.0.0", "--port", "0"))) {
      assertEquals("0.0.0.0:" + sim.port(), sim.listening());
      assertEquals(200, listDeployments("http://127.0.0.1:" + sim.port()));
      assertEquals(200, listDeployments("http://" + address.getHostAddress() + ":" + sim.port()));
    }
  }

  @Test
  void withoutBindItStaysOnLoopback() throws Exception {
    InetAddress address = nonLoopbackAddress();
    SimulatorConfig config = parse("--port", "0");
    assertTrue(config.bindAddress().isLoopbackAddress());
    try (Simulator sim = Simulator.start(config)) {
      assertEquals(200, listDeployments(sim.baseUrl()));
      Exception refused = assertThrows(Exception.class,
          () -> listDeployments("http://" + address.getHostAddress() + ":" + sim.port()));
      assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException,
          refused.toString());
    }
  }
}

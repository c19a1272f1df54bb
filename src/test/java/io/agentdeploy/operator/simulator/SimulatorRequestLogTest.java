package io.agentdeploy.operator.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What the simulator keeps of the requests it answered: the newest ones up to its capacity, a count
 * of all; the standalone command (a sandbox that runs for weeks, the benchmark's simulator) keeps none.
 */
class SimulatorRequestLogTest {

  @Test
  void keepsTheNewestUpToItsCapacityAndCountsEveryRequest() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withRequestLogCapacity(3))) {
      SimClient client = new SimClient(sim.baseUrl());
      for (int i = 0; i < 5; i++) {
        assertEquals(200, client.call("GET", "/v2/deployments?limit=" + (i + 1), null).status());
      }
      assertEquals(200, client.call("GET", "/v5/agentex/deployments", null).status());

      List<String> kept = sim.requests().all().stream().map(r -> r.operation() + " " + r.query()).toList();
      assertEquals(List.of("LIST_DEPLOYMENTS limit=4", "LIST_DEPLOYMENTS limit=5", "AGENTEX_LIST null"), kept,
          "the newest three, oldest first");
      assertEquals(5, sim.requests().count(SimOperation.LIST_DEPLOYMENTS));
      assertEquals(Map.of(SimOperation.LIST_DEPLOYMENTS, 5L, SimOperation.AGENTEX_LIST, 1L), sim.requests().counts());

      sim.requests().clear();
      assertEquals(List.of(), sim.requests().all());
      assertEquals(0, sim.requests().count(SimOperation.LIST_DEPLOYMENTS), "a clear starts the counts again");
    }
  }

  @Test
  void inProcessItKeepsEveryRequest() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      SimClient client = new SimClient(sim.baseUrl());
      for (int i = 0; i < 50; i++) {
        client.call("GET", "/v2/deployments", null);
      }
      assertEquals(50, sim.requests().all().size());
    }
  }

  @Test
  void theStandaloneCommandKeepsNoneButCountsThem() throws Exception {
    SimulatorCommand command = new SimulatorCommand();
    new CommandLine(command).parseArgs("--port", "0");
    try (Simulator sim = Simulator.start(command.config())) {
      SimClient client = new SimClient(sim.baseUrl());
      String body = "{\"name\":\"kept-nowhere\",\"source\":\"external_docker\",\"source_config\":{},"
          + "\"source_revision_config\":{\"image_uri\":\"docker.io/acme/agent:1\"},\"secrets\":[]}";
      assertEquals(201, client.call("POST", "/v2/deployments", body).status());
      assertEquals(List.of(), sim.requests().all(), "no request, and no body, is held");
      assertEquals(1, sim.requests().count(SimOperation.CREATE_DEPLOYMENT));
    }
  }

  @Test
  void aNegativeCapacityIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RequestLog(-1));
  }
}

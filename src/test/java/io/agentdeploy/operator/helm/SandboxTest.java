package io.agentdeploy.operator.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.CrdSchema;
import io.agentdeploy.operator.remote.http.BaseUrlPolicy;
import io.agentdeploy.operator.runtime.Manifests;
import io.agentdeploy.operator.simulator.SimulatorCommand;
import io.agentdeploy.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * deploy/sandbox/ works as a set: the simulator Deployment runs the image's simulator subcommand
 * on every address of its pod, the Service reaches it, the ControlPlane names that Service, the
 * chart installed with the sandbox values lets the operator send to it over plain http, and
 * without those values the operator refuses it. Not run on a real cluster here: docs/install.md says so.
 */
class SandboxTest {
  private static final Path SANDBOX = Path.of("deploy/sandbox");
  /** The image settings docs/install.md passes to the chart for an image built and loaded into kind. */
  private static final Map<String, String> IMAGE = Map.of("image.repository", "agent-deployment-operator",
      "image.tag", "dev", "image.pullPolicy", "IfNotPresent");

  private static List<HasMetadata> simulatorObjects() throws Exception {
    // A multi-document file parses into a list of typed objects.
    List<?> parsed = Serialization.unmarshal(Files.readString(SANDBOX.resolve("simulator.yaml")));
    return parsed.stream().map(HasMetadata.class::cast).toList();
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, found.size(), type.getSimpleName() + " in " + objects);
    return found.get(0);
  }

  private static Map<String, String> operatorEnv(Map<String, String> sets, boolean sandboxValues) {
    List<HasMetadata> chart = HelmChartTest.render(t -> {
      sets.forEach(t::set);
      return sandboxValues ? t.withValuesFile(SANDBOX.resolve("values.yaml")) : t;
    });
    Deployment operator = HelmChartTest.ofType(chart, Deployment.class).get(0);
    Container container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    env.put("image", container.getImage());
    return env;
  }

  private static BaseUrlPolicy policy(Map<String, String> env) {
    return BaseUrlPolicy.of(hosts(env.get("AGENTDEPLOY_ALLOWED_HOSTS")), hosts(env.get("AGENTDEPLOY_PLAIN_HTTP_HOSTS")));
  }

  private static List<String> hosts(String commaSeparated) {
    return commaSeparated == null || commaSeparated.isBlank() ? List.of()
        : Arrays.stream(commaSeparated.split(",")).map(String::trim).toList();
  }

  @Test
  void theSimulatorListensOnItsPodAddressAndAcceptsAnyKey() throws Exception {
    Deployment deployment = only(simulatorObjects(), Deployment.class);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> args = container.getArgs();
    assertEquals("simulator", args.get(0), "the image's entrypoint is the jar; the subcommand comes first");
    SimulatorCommand command = new SimulatorCommand();
    new CommandLine(command).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    SimulatorConfig config = command.config();
    assertTrue(config.bindAddress().isAnyLocalAddress(), "reachable through a Service: " + config.bindAddress());
    assertNull(config.apiKey(), "the sandbox accepts whatever key its Secret holds");
    int containerPort = container.getPorts().get(0).getContainerPort();
    assertEquals(config.port(), containerPort);

    Service service = only(simulatorObjects(), Service.class);
    assertEquals(deployment.getMetadata().getNamespace(), service.getMetadata().getNamespace());
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()), "the Service selects the pod");
    ServicePort port = service.getSpec().getPorts().get(0);
    assertEquals(container.getPorts().get(0).getName(), port.getTargetPort().getStrVal());

    ControlPlane cp = only(Manifests.parse(Files.readString(SANDBOX.resolve("controlplane.yaml"))), ControlPlane.class);
    URI url = URI.create(cp.getSpec().getBaseUrl());
    assertEquals("http", url.getScheme());
    assertEquals(service.getMetadata().getName() + "." + service.getMetadata().getNamespace() + ".svc", url.getHost());
    assertEquals(port.getPort(), url.getPort());
  }

  @Test
  void everyObjectPassesTheCrdSchemaAndNoneIsASecret() throws Exception {
    CrdSchema agdSchema = CrdSchema.load(Path.of("crds/agentdeployments.agentdeploy.io-v1.yml"));
    CrdSchema cpSchema = CrdSchema.load(Path.of("crds/controlplanes.agentdeploy.io-v1.yml"));
    ControlPlane cp = only(Manifests.parse(Files.readString(SANDBOX.resolve("controlplane.yaml"))), ControlPlane.class);
    AgentDeployment agd = only(Manifests.parse(Files.readString(SANDBOX.resolve("agentdeployment.yaml"))),
        AgentDeployment.class);
    assertEquals(List.of(), cpSchema.validate(cp));
    assertEquals(List.of(), agdSchema.validate(agd));
    assertEquals(cp.getMetadata().getName(), agd.getSpec().getControlPlaneRef().getName());
    assertEquals(cp.getMetadata().getNamespace(), agd.getMetadata().getNamespace());
    for (Path file : List.of(SANDBOX.resolve("simulator.yaml"), SANDBOX.resolve("controlplane.yaml"),
        SANDBOX.resolve("agentdeployment.yaml"))) {
      assertTrue(Files.readAllLines(file).stream().noneMatch(l -> l.matches("kind:\\s*Secret\\s*")), file.toString());
    }
  }

  @Test
  void theSandboxValuesLetTheOperatorReachTheSimulatorAndNothingElseOverPlainHttp() throws Exception {
    String baseUrl = only(Manifests.parse(Files.readString(SANDBOX.resolve("controlplane.yaml"))), ControlPlane.class)
        .getSpec().getBaseUrl();
    Map<String, String> sandbox = operatorEnv(IMAGE, true);
    assertInstanceOf(BaseUrlPolicy.Allowed.class, policy(sandbox).check(baseUrl));
    assertInstanceOf(BaseUrlPolicy.Allowed.class, policy(sandbox).check("https://api.host.langchain.com"));
    BaseUrlPolicy.Verdict elsewhere = policy(sandbox).check("http://other-service.agents.svc:8090");
    assertEquals("InsecureBaseUrl", ((BaseUrlPolicy.Refused) elsewhere).reason());

    BaseUrlPolicy.Verdict withoutValues = policy(operatorEnv(IMAGE, false)).check(baseUrl);
    assertEquals("InsecureBaseUrl", ((BaseUrlPolicy.Refused) withoutValues).reason());

    // The operator and the simulator run the image the install steps built and loaded.
    Container simulator = only(simulatorObjects(), Deployment.class).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertEquals("agent-deployment-operator:dev", sandbox.get("image"));
    assertEquals(sandbox.get("image"), simulator.getImage());
  }
}

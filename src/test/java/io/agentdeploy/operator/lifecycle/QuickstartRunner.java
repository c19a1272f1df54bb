package io.agentdeploy.operator.lifecycle;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.api.Condition;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.runtime.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Runs a quickstart shell block the way a person pasting it would, against a Kubernetes API:
 * {@code kubectl apply -f}, {@code kubectl create namespace|secret}, {@code helm install} (the chart
 * rendered by real Helm, then the operator started, as the chart's Deployment would), and
 * {@code kubectl wait --for=condition=Ready}. It refuses, naming both lines, any line that changes
 * an object an earlier line (or the operator) made: the quickstart's classic bug is an example file
 * whose placeholder key overwrites the real one created a line before.
 */
final class QuickstartRunner {
  /** What a line of the block is, for checking the order of the steps. */
  enum Step { BUILD, CRDS, OPERATOR, NAMESPACE, SECRET, CONTROL_PLANE, WAIT_CONTROL_PLANE, AGENT, WAIT_AGENT, OTHER,
    READ }

  /** One command of the block, continuation lines joined and comments dropped. */
  record Line(int number, List<String> words) {
    String text() {
      return String.join(" ", words);
    }
  }

  /** Thrown when a line changes an object an earlier line made. */
  static final class Clobbered extends AssertionError {
    Clobbered(String message) {
      super(message);
    }
  }

  private final KubernetesClient client;
  private final List<Path> roots;
  private final Runnable startOperator;
  private final UnaryOperator<HasMetadata> redirect;
  private final Map<String, Line> madeBy = new HashMap<>();
  private final List<Step> steps = new ArrayList<>();

  /**
   * @param roots where relative paths are looked up, in order
   * @param startOperator what {@code helm install} starts besides the chart's objects
   * @param redirect applied to each object before it is created (the test points ControlPlanes at
   *     the simulator; nothing else changes)
   */
  QuickstartRunner(KubernetesClient client, List<Path> roots, Runnable startOperator,
      UnaryOperator<HasMetadata> redirect) {
    this.client = client;
    this.roots = roots;
    this.startOperator = startOperator;
    this.redirect = redirect;
  }

  /** The shell block that follows {@code heading} in a Markdown file, as commands. */
  static List<Line> block(Path markdown, String heading) throws IOException {
    List<String> text = Files.readAllLines(markdown);
    int at = text.indexOf(heading);
    if (at < 0) {
      throw new AssertionError(heading + " not in " + markdown);
    }
    while (!text.get(at).startsWith("```")) {
      at++;
    }
    List<String> shell = new ArrayList<>();
    for (int i = at + 1; !text.get(i).startsWith("```"); i++) {
      shell.add(text.get(i));
    }
    return lines(shell);
  }

  static List<Line> lines(List<String> shell) {
    List<Line> out = new ArrayList<>();
    StringBuilder command = new StringBuilder();
    int first = 0;
    for (int i = 0; i < shell.size(); i++) {
      String line = shell.get(i).replaceFirst("\\s+#.*$", "").replaceFirst("^#.*$", "");
      if (command.length() == 0) {
        first = i + 1;
      }
      boolean continued = line.endsWith("\\");
      command.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
      if (!continued) {
        List<String> words = Arrays.stream(command.toString().trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (!words.isEmpty()) {
          out.add(new Line(first, words));
        }
        command.setLength(0);
      }
    }
    return out;
  }

  List<Step> steps() {
    return steps;
  }

  void run(List<Line> block) throws Exception {
    for (Line line : block) {
      List<String> w = line.words();
      if (w.get(0).equals("kubectl") && w.get(1).equals("apply")) {
        List<HasMetadata> objects = load(path(option(w, "-f")));
        steps.add(objects.stream().anyMatch(o -> o.getKind().equals("CustomResourceDefinition")) ? Step.CRDS
            : objects.stream().anyMatch(o -> o instanceof AgentDeployment) ? Step.AGENT
            : objects.stream().anyMatch(o -> o instanceof ControlPlane) ? Step.CONTROL_PLANE : Step.OTHER);
        create(line, objects);
      } else if (w.get(0).equals("kubectl") && w.get(1).equals("create") && w.get(2).equals("namespace")) {
        steps.add(Step.NAMESPACE);
        create(line, List.of(new NamespaceBuilder().withNewMetadata().withName(w.get(3)).endMetadata().build()));
      } else if (w.get(0).equals("kubectl") && w.get(1).equals("create") && w.get(2).equals("secret")) {
        steps.add(Step.SECRET);
        create(line, List.of(secret(w)));
      } else if (w.get(0).equals("helm") && w.get(1).equals("install")) {
        steps.add(Step.OPERATOR);
        helmInstall(line);
      } else if (w.get(0).equals("kubectl") && w.get(1).equals("wait")) {
        waitFor(line);
      } else if (w.get(0).equals("kubectl") && (w.get(1).equals("get") || w.get(1).equals("rollout")
          || w.get(1).equals("describe"))) {
        steps.add(Step.READ);
      } else if (w.get(0).equals("kind") || w.get(0).equals("docker") || w.get(0).equals("podman")) {
        // Building and loading the image, creating a kind cluster: outside the Kubernetes API.
        steps.add(Step.BUILD);
      } else {
        throw new AssertionError("line " + line.number() + ": the quickstart test does not know '" + line.text()
            + "'; teach QuickstartRunner what it does");
      }
    }
  }

  private void create(Line line, List<HasMetadata> objects) {
    for (HasMetadata object : objects) {
      String id = object.getKind() + " " + (object.getMetadata().getNamespace() == null ? ""
          : object.getMetadata().getNamespace() + "/") + object.getMetadata().getName();
      Line earlier = madeBy.get(id);
      if (earlier != null) {
        throw new Clobbered("line " + line.number() + " (" + line.text() + ") changes " + id + ", which line "
            + earlier.number() + " (" + earlier.text() + ") made");
      }
      if (client.resource(object).get() != null) {
        throw new Clobbered("line " + line.number() + " (" + line.text() + ") changes " + id
            + ", which the operator made");
      }
      client.resource(redirect.apply(object)).create();
      madeBy.put(id, line);
    }
  }

  private List<HasMetadata> load(Path path) throws IOException {
    List<Path> files;
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
      }
    } else {
      files = List.of(path);
    }
    List<HasMetadata> objects = new ArrayList<>();
    for (Path file : files) {
      String yaml = Files.readString(file);
      try {
        objects.addAll(Manifests.parse(yaml));
      } catch (IOException notOurKinds) {
        // CRDs and other built-in kinds: the client's own parser, as kubectl would read them.
        objects.addAll(client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items());
      }
    }
    return objects;
  }

  private static HasMetadata secret(List<String> w) {
    Map<String, String> data = new LinkedHashMap<>();
    for (String word : w) {
      if (word.startsWith("--from-literal=")) {
        String literal = word.substring("--from-literal=".length());
        data.put(literal.substring(0, literal.indexOf('=')), literal.substring(literal.indexOf('=') + 1));
      }
    }
    if (!"generic".equals(w.get(3)) || data.isEmpty()) {
      throw new AssertionError("only 'kubectl create secret generic NAME --from-literal=k=v' is understood: " + w);
    }
    return new SecretBuilder().withNewMetadata().withName(w.get(4)).withNamespace(option(w, "-n")).endMetadata()
        .withStringData(data).build();
  }

  private void helmInstall(Line line) throws Exception {
    List<String> w = line.words();
    String namespace = option(w, "-n");
    if (w.contains("--create-namespace")) {
      create(line, List.of(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()));
    }
    TemplateCommand template = new Helm(path(w.get(3))).template().withName(w.get(2)).withNamespace(namespace)
        .withKubeVersion(io.agentdeploy.operator.rbac.RenderedChart.KUBE_VERSION);
    for (int i = 0; i < w.size() - 1; i++) {
      if (w.get(i).equals("-f") || w.get(i).equals("--values")) {
        template = template.withValuesFile(path(w.get(i + 1)));
      } else if (w.get(i).equals("--set")) {
        String set = w.get(i + 1);
        template = template.set(set.substring(0, set.indexOf('=')), set.substring(set.indexOf('=') + 1));
      }
    }
    List<HasMetadata> rendered = new ArrayList<>();
    for (HasMetadata object : client.load(new ByteArrayInputStream(template.call().getBytes(StandardCharsets.UTF_8)))
        .items()) {
      if (object.getMetadata().getNamespace() == null && !isClusterScoped(object)) {
        object.getMetadata().setNamespace(namespace);
      }
      rendered.add(object);
    }
    create(line, rendered);
    startOperator.run();
  }

  private static boolean isClusterScoped(HasMetadata object) {
    return List.of("ClusterRole", "ClusterRoleBinding", "Namespace", "CustomResourceDefinition",
        "ClusterControlPlane").contains(object.getKind());
  }

  private void waitFor(Line line) throws Exception {
    List<String> w = line.words();
    String[] target = w.get(2).split("/");
    if (!"--for=condition=Ready".equals(w.stream().filter(x -> x.startsWith("--for=")).findFirst().orElse(""))) {
      throw new AssertionError("line " + line.number() + ": only --for=condition=Ready is understood");
    }
    String namespace = option(w, "-n");
    boolean agent = List.of("agd", "agentdeployment", "agentdeployments").contains(target[0]);
    steps.add(agent ? Step.WAIT_AGENT : Step.WAIT_CONTROL_PLANE);
    java.util.concurrent.Callable<List<Condition>> read = () -> agent
        ? conditions(client.resources(AgentDeployment.class).inNamespace(namespace).withName(target[1]).get())
        : conditionsOf(client.resources(ControlPlane.class).inNamespace(namespace).withName(target[1]).get());
    try {
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(read, QuickstartRunner::ready);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("line " + line.number() + " (" + line.text() + ") never came true; Ready is "
          + read.call().stream().filter(c -> "Ready".equals(c.getType())).map(c -> c.getStatus() + " "
              + c.getReason() + ": " + c.getMessage()).findFirst().orElse("absent"));
    }
  }

  private static List<Condition> conditions(AgentDeployment a) {
    return a == null || a.getStatus() == null ? List.of() : a.getStatus().getConditions();
  }

  private static List<Condition> conditionsOf(ControlPlane cp) {
    return cp == null || cp.getStatus() == null ? List.of() : cp.getStatus().getConditions();
  }

  private static boolean ready(List<Condition> conditions) {
    return conditions != null && conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private Path path(String relative) {
    for (Path root : roots) {
      if (Files.exists(root.resolve(relative))) {
        return root.resolve(relative);
      }
    }
    throw new AssertionError(relative + " does not exist under " + roots);
  }

  private static String option(List<String> words, String name) {
    for (int i = 0; i < words.size(); i++) {
      if (words.get(i).equals(name) && i + 1 < words.size()) {
        return words.get(i + 1);
      }
      if (words.get(i).startsWith(name + "=")) {
        return words.get(i).substring(name.length() + 1);
      }
    }
    throw new AssertionError(name + " missing in " + words);
  }
}

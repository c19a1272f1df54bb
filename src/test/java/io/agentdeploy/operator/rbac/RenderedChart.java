package io.agentdeploy.operator.rbac;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The chart as real Helm (helm-java) renders it for a release, hooks included, each document
 * parsed. helm-java's template leaves hooks out (the helm CLI prints them after the manifest), so
 * the chart is rendered from a copy whose hook annotation key is renamed, which Helm then treats
 * as an ordinary manifest; the parsed documents get the real key back. Everything else is the
 * chart's own templates and values.
 */
public final class RenderedChart {
  public static final Path CHART = Path.of("helm/agent-deployment-operator");
  public static final String RELEASE = "ado";
  public static final String NAMESPACE = "agent-operator";
  /** The chart's fullname for {@link #RELEASE}: the operator's ServiceAccount, Deployment and Lease. */
  public static final String FULLNAME = "ado-agent-deployment-operator";
  /**
   * The cluster version rendered for (the chart needs 1.25+; Helm's offline default is 1.20). A
   * test may override it with its own withKubeVersion.
   */
  public static final String KUBE_VERSION = "1.30.0";

  private static final String HOOK = "helm.sh/hook";
  private static final String DISGUISED = "rendered-as-manifest.test/hook";
  private static Path disguisedCopy;

  private RenderedChart() {}

  public static List<HasMetadata> render(Map<String, Object> values) {
    return render(RELEASE, NAMESPACE, t -> {
      values.forEach(t::set);
      return t;
    });
  }

  public static List<HasMetadata> render(String release, String namespace, UnaryOperator<TemplateCommand> values) {
    String yaml = values.apply(new Helm(chartWithVisibleHooks()).template().withName(release).withNamespace(namespace)
        .withKubeVersion(KUBE_VERSION))
        .call();
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (!doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        HasMetadata parsed = (HasMetadata) Serialization.unmarshal(doc);
        restoreHookAnnotations(parsed);
        out.add(parsed);
      }
    }
    return out;
  }

  /** Whether Helm runs this document as a hook instead of installing it. */
  public static boolean isHook(HasMetadata doc) {
    return doc.getMetadata().getAnnotations() != null && doc.getMetadata().getAnnotations().containsKey(HOOK);
  }

  private static void restoreHookAnnotations(HasMetadata doc) {
    Map<String, String> annotations = doc.getMetadata().getAnnotations();
    if (annotations == null) {
      return;
    }
    Map<String, String> restored = new LinkedHashMap<>();
    annotations.forEach((k, v) -> restored.put(k.startsWith(DISGUISED) ? HOOK + k.substring(DISGUISED.length()) : k, v));
    doc.getMetadata().setAnnotations(restored);
  }

  private static synchronized Path chartWithVisibleHooks() {
    if (disguisedCopy != null) {
      return disguisedCopy;
    }
    try {
      Path copy = Files.createTempDirectory("chart-with-hooks").resolve(CHART.getFileName());
      try (Stream<Path> files = Files.walk(CHART)) {
        for (Path source : files.toList()) {
          Path target = copy.resolve(CHART.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            Files.writeString(target, Files.readString(source).replace(HOOK, DISGUISED));
          }
        }
      }
      disguisedCopy = copy;
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.agentdeploy.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file in examples/ loads into the fabric8 model and passes the generated CRD schema. */
class ExamplesTest {
  @Test
  void everyExampleIsValidAgainstTheGeneratedSchema() throws Exception {
    CrdSchema agd = CrdSchema.load(Path.of("crds/agentdeployments.agentdeploy.io-v1.yml"));
    CrdSchema cp = CrdSchema.load(Path.of("crds/controlplanes.agentdeploy.io-v1.yml"));
    CrdSchema ccp = CrdSchema.load(Path.of("crds/clustercontrolplanes.agentdeploy.io-v1.yml"));
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 5, "examples: " + files);
    int agents = 0;
    int controlPlanes = 0;
    for (Path file : files) {
      for (HasMetadata object : load(file)) {
        List<String> errors = new ArrayList<>();
        if (object instanceof AgentDeployment a) {
          errors = agd.validate(a);
          agents++;
        } else if (object instanceof ControlPlane c) {
          errors = cp.validate(c);
          controlPlanes++;
        } else if (object instanceof ClusterControlPlane c) {
          errors = ccp.validate(c);
          controlPlanes++;
        } else {
          // No Secret: an example with a placeholder key overwrites the real one when applied after
          // kubectl create secret, and teaches committing keys to git.
          assertFalse(object instanceof Secret, file + " holds a Secret; show the kubectl create secret command instead");
          assertTrue(object instanceof io.fabric8.kubernetes.api.model.ConfigMap,
              file + ": unexpected kind " + object.getKind());
        }
        assertEquals(List.of(), errors, file + " " + object.getMetadata().getName());
        assertFalse(object.getMetadata().getNamespace() == null && !(object instanceof ClusterControlPlane),
            file + ": set a namespace");
      }
    }
    assertTrue(agents >= 5 && controlPlanes >= 3, "agents " + agents + ", control planes " + controlPlanes);
  }

  static List<HasMetadata> load(Path file) throws Exception {
    return io.agentdeploy.operator.runtime.Manifests.parse(Files.readString(file));
  }

  @Test
  void argoCdApplicationsSyncTheCrdsBeforeTheResources() throws Exception {
    var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    var docs = yaml.readValues(yaml.getFactory().createParser(Path.of("examples/argocd/applications.yaml").toFile()),
        com.fasterxml.jackson.databind.JsonNode.class).readAll();
    assertEquals(2, docs.size());
    assertEquals("crds", docs.get(0).at("/spec/source/path").asText());
    assertEquals("examples", docs.get(1).at("/spec/source/path").asText());
    int crdWave = docs.get(0).at("/metadata/annotations/argocd.argoproj.io~1sync-wave").asInt();
    int resourceWave = docs.get(1).at("/metadata/annotations/argocd.argoproj.io~1sync-wave").asInt();
    assertTrue(crdWave < resourceWave, "CRDs sync first");
    assertTrue(Files.isDirectory(Path.of(docs.get(0).at("/spec/source/path").asText())));
    for (Path file : List.of(Path.of("examples/langsmith-env-from-secret.yaml"))) {
      for (HasMetadata object : load(file)) {
        String wave = object.getMetadata().getAnnotations().get("argocd.argoproj.io/sync-wave");
        assertEquals(object instanceof AgentDeployment ? "1" : "0", wave, object.getKind() + " wave");
      }
    }
  }

  /** Every document of every YAML file under {@code dir} (recursively or not), as plain trees. */
  static List<com.fasterxml.jackson.databind.JsonNode> documents(Path dir, boolean recurse) throws Exception {
    var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    List<com.fasterxml.jackson.databind.JsonNode> docs = new ArrayList<>();
    try (Stream<Path> files = recurse ? Files.walk(dir) : Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList()) {
        docs.addAll(yaml.readValues(yaml.getFactory().createParser(file.toFile()),
            com.fasterxml.jackson.databind.JsonNode.class).readAll());
      }
    }
    docs.removeIf(d -> d == null || d.isNull() || d.isEmpty());
    return docs;
  }

  @Test
  void argoCdApplicationsNeverSyncASecret() throws Exception {
    List<com.fasterxml.jackson.databind.JsonNode> applications = documents(Path.of("examples/argocd"), false);
    assertTrue(applications.size() >= 2);
    for (var application : applications) {
      Path path = Path.of(application.at("/spec/source/path").asText());
      assertTrue(Files.isDirectory(path), path.toString());
      boolean recurse = application.at("/spec/source/directory/recurse").asBoolean(false);
      List<String> kinds = documents(path, recurse).stream().map(d -> d.path("kind").asText()).toList();
      assertFalse(kinds.isEmpty(), path + " syncs nothing");
      // selfHeal would reset a real key to the file's placeholder on every sync.
      assertFalse(kinds.contains("Secret"), application.at("/metadata/name").asText() + " syncs a Secret from " + path);
    }
  }

  @Test
  void noManifestInTheRepositoryHoldsASecretValue() throws Exception {
    for (Path dir : List.of(Path.of("examples"), Path.of("deploy"))) {
      for (var doc : documents(dir, true)) {
        assertFalse("Secret".equals(doc.path("kind").asText()), dir + " holds Secret " + doc.at("/metadata/name"));
      }
    }
  }
}

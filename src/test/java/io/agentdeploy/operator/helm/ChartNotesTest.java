package io.agentdeploy.operator.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What `helm install` prints tells a newcomer the next steps in the quickstart's order, keys kept out of files. */
class ChartNotesTest {
  private static String notes(UnaryOperator<InstallCommand> values) {
    return values.apply(new Helm(HelmChartTest.CHART).install().withName("ado").withNamespace("agentdeploy-system")
        .clientOnly().dryRun().withKubeVersion(io.agentdeploy.operator.rbac.RenderedChart.KUBE_VERSION)).call().getOutput();
  }

  @Test
  void withoutADefaultControlPlaneTheNotesShowKeyControlPlaneAndWaits() {
    String notes = notes(c -> c);
    int secret = notes.indexOf("kubectl create secret generic langsmith-api-key");
    int controlPlane = notes.indexOf("kubectl apply -f examples/controlplane-langsmith-cloud.yaml");
    int waitControlPlane = notes.indexOf("kubectl wait controlplane/langsmith-cloud");
    int waitAgent = notes.indexOf("kubectl wait agd/");
    assertTrue(secret > 0 && secret < controlPlane && controlPlane < waitControlPlane && waitControlPlane < waitAgent,
        notes);
    assertTrue(notes.contains("image ghcr.io/acme/agent-deployment-operator:0.1.0"), notes);
  }

  @Test
  void withADefaultControlPlaneTheNotesNameItsSecretAndNoValue() {
    String notes = notes(c -> c.set("defaultControlPlane.enabled", "true")
        .set("defaultControlPlane.apiKeySecret.name", "team-key").set("defaultControlPlane.tenantId", "t-1"));
    assertTrue(notes.contains("kubectl create secret generic team-key -n agentdeploy-system --from-literal=apiKey=<key>"),
        notes);
    assertTrue(notes.contains("kubectl wait controlplane/langsmith -n agentdeploy-system --for=condition=Ready"), notes);
    assertFalse(notes.contains("kind: Secret"), notes);
  }
}

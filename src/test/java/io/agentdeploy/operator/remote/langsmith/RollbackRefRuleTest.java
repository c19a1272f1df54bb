package io.agentdeploy.operator.remote.langsmith;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentdeploy.operator.api.DeploymentType;
import io.agentdeploy.operator.api.LangSmithRevisionConfig;
import io.agentdeploy.operator.api.LangSmithSource;
import io.agentdeploy.operator.api.LangSmithSourceConfig;
import io.agentdeploy.operator.api.LangSmithSpec;
import io.agentdeploy.operator.remote.TestHashers;
import io.agentdeploy.operator.remote.langsmith.LangSmithDesired.RepoRef;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13's rule for which GitHub refs a revert may redeploy instead of rebuild: only a ref that
 * certainly names one commit, and only with build_on_push explicitly false. Whatever could be a
 * branch name PATCHes (the safe side: a rebuild is slower, never wrong).
 */
class RollbackRefRuleTest {

  private static LangSmithDesired github(String ref, Boolean buildOnPush) {
    LangSmithSpec spec = new LangSmithSpec();
    spec.setName("agent");
    spec.setSource(LangSmithSource.GITHUB);
    LangSmithSourceConfig sc = new LangSmithSourceConfig();
    sc.setRepoUrl("https://github.com/acme/agent");
    sc.setIntegrationId("9a1b2c3d-0000-4000-8000-000000000001");
    sc.setDeploymentType(DeploymentType.DEV);
    sc.setBuildOnPush(buildOnPush);
    spec.setSourceConfig(sc);
    LangSmithRevisionConfig rc = new LangSmithRevisionConfig();
    rc.setRepoRef(ref);
    rc.setLanggraphConfigPath("langgraph.json");
    spec.setRevisionConfig(rc);
    return LangSmithMapper.toDesired(spec, Map.of(), Set.of(), TestHashers.ZERO);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "0123456789abcdef0123456789abcdef01234567, COMMIT",
      "refs/tags/x, TAG",
      "refs/tags/v1.2.3, TAG",
      "v1.2.3, VERSION",
      "1.2.3, VERSION",
      "2024.05.1, VERSION",
      "v1.2.3-rc.1, VERSION",
      "1.2.3+build.7, VERSION",
      // Legal branch names, or names git may resolve to a branch: all PATCH.
      "deadbeef, BRANCH",
      "0123456, BRANCH",
      "0123456789abcdef0123456789abcdef0123456, BRANCH",
      "0123456789abcdef0123456789abcdef012345678, BRANCH",
      "0123456789ABCDEF0123456789ABCDEF01234567, BRANCH",
      "1.2, BRANCH",
      "v1.2, BRANCH",
      "1.2.3.4, BRANCH",
      "release/1.2.3, BRANCH",
      "refs/heads/v1.2.3, BRANCH",
      "refs/tags/, BRANCH",
      "main, BRANCH",
      "'', BRANCH"
  })
  void refsAreReadConservatively(String ref, RepoRef kind) {
    assertEquals(kind, RepoRef.of(ref));
    assertEquals(kind != RepoRef.BRANCH, github(ref, false).sourceIdentifiesCode(), ref);
  }

  @ParameterizedTest(name = "{0} with buildOnPush true or unset rebuilds")
  @ValueSource(strings = {"0123456789abcdef0123456789abcdef01234567", "refs/tags/x", "v1.2.3"})
  void aFixedRefRebuiltOnPushOrWithTheDefaultIsNotRedeployed(String ref) {
    assertEquals(false, github(ref, true).sourceIdentifiesCode(), "buildOnPush true");
    assertEquals(false, github(ref, null).sourceIdentifiesCode(), "buildOnPush unset: the remote's default");
  }

  @ParameterizedTest
  @NullSource
  void aGithubSourceWithoutARefIsNotRedeployed(String ref) {
    assertEquals(false, github(ref, false).sourceIdentifiesCode());
  }
}

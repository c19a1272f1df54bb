package io.agentdeploy.operator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of DESIGN.md §3 as rules: controllers know the provider port, never a provider; the
 * port knows no controller; nothing below the controllers reaches up into the runtime.
 */
class LayersTest {
  private static final String ROOT = "io.agentdeploy.operator";
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
  }

  @Test
  void controllersUseThePortNotAProvider() {
    noClasses().that().resideInAPackage(ROOT + ".controller..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".remote.langsmith..", ROOT + ".remote.agentex..",
            ROOT + ".runtime..", ROOT + ".simulator..")
        .check(classes);
  }

  /**
   * What differs between providers is read through the port (ProviderAdapter): no controller class
   * opens a provider's spec block or its types, so a third provider adds files and no controller code.
   */
  @Test
  void controllersReadNoProviderSpecBlock() {
    noClasses().that().resideInAPackage(ROOT + ".controller..")
        .should().callMethod(io.agentdeploy.operator.api.AgentDeploymentSpec.class, "getLangsmith")
        .orShould().callMethod(io.agentdeploy.operator.api.AgentDeploymentSpec.class, "getAgentex")
        .orShould().dependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(ROOT + ".api")
            .and(com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith("LangSmith")
                .or(com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith("Agentex"))))
        .check(classes);
  }

  @Test
  void remoteKnowsNoController() {
    noClasses().that().resideInAPackage(ROOT + ".remote..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".controller..", ROOT + ".runtime..",
            ROOT + ".simulator..")
        .check(classes);
  }

  @Test
  void providersDoNotKnowEachOther() {
    noClasses().that().resideInAPackage(ROOT + ".remote.langsmith..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".remote.agentex..").check(classes);
    noClasses().that().resideInAPackage(ROOT + ".remote.agentex..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".remote.langsmith..").check(classes);
  }

  @Test
  void theSimulatorSharesNoCodeWithTheClient() {
    noClasses().that().resideInAPackage(ROOT + ".simulator..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".remote..", ROOT + ".controller..")
        .check(classes);
  }

  /** Small classes with one job: a controller class that grows past this is doing two. */
  @Test
  void controllerClassesStaySmall() throws IOException {
    Path dir = Path.of("src/main/java/io/agentdeploy/operator/controller");
    List<String> tooLong;
    try (Stream<Path> files = Files.list(dir)) {
      tooLong = files.filter(f -> f.toString().endsWith(".java")).filter(f -> lines(f) > 260)
          .map(f -> f.getFileName() + " (" + lines(f) + " lines)").toList();
    }
    assertTrue(tooLong.isEmpty(), "controller classes over 260 lines: " + tooLong);
  }

  private static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

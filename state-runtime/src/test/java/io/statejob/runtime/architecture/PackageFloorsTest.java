package io.statejob.runtime.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime is a stack of floors (ARCHITECTURE.md §3): a package imports only packages of its own
 * floor or below, and no two packages import each other, directly or through others.
 */
class PackageFloorsTest {
  private static final String ROOT = "io.statejob.runtime";

  /** Bottom up; each floor's packages, subpackages included. */
  private static final List<List<String>> FLOORS =
      List.of(
          List.of("serialization", "keygroup", "concurrent", "logging"),
          List.of("api"),
          List.of("snapshot"),
          List.of("storage"),
          List.of("state"),
          List.of("checkpoint"),
          List.of("exchange", "execution"),
          List.of("connector"),
          List.of("server", "cluster", "cli"));

  private static JavaClasses runtime;

  @BeforeAll
  static void importRuntimeClasses() {
    runtime =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  @Test
  void everyPackageIsOnAFloor() {
    String[] known = packagesOf(IntStream.range(0, FLOORS.size()));
    classes()
        .that()
        .resideInAPackage(ROOT + "..")
        .should()
        .resideInAnyPackage(known)
        .because("a new package belongs on a floor of ARCHITECTURE.md; add it to FLOORS")
        .check(runtime);
  }

  @Test
  void noPackageImportsAFloorAboveIt() {
    List<ArchRule> rules = new ArrayList<>();
    for (int floor = 0; floor < FLOORS.size() - 1; floor++) {
      rules.add(
          noClasses()
              .that()
              .resideInAnyPackage(packagesOf(IntStream.of(floor)))
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(packagesOf(IntStream.range(floor + 1, FLOORS.size())))
              .because("floor " + (floor + 1) + " " + FLOORS.get(floor) + " is below them"));
    }
    CompositeArchRule.of(rules).check(runtime);
  }

  @Test
  void noPackagesDependOnEachOther() {
    slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(runtime);
  }

  private static String[] packagesOf(IntStream floors) {
    return floors
        .mapToObj(FLOORS::get)
        .flatMap(List::stream)
        .map(name -> ROOT + "." + name + "..")
        .toArray(String[]::new);
  }
}

package io.kmirror.boundaries;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

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
 * The boundaries between kmirror's modules, checked over their compiled classes (tests left out):
 * the library's implementation is used by the library alone, the library knows nothing of the test kit
 * or the programs, and the operator's command line ({@code kmirror.jar}) uses neither the test kit nor
 * the examples, which its jar does not carry. The compiled classes do not show a use of a constant
 * (javac copies it), so the sources are checked for imports of internals too.
 */
class BoundariesTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importKmirrorsClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kmirror");
    }

    @Test
    void nothingOutsideMirrorCore_usesItsInternals() {
        noClasses().that().resideOutsideOfPackages("io.kmirror", "io.kmirror.internal..")
                .should().dependOnClassesThat().resideInAPackage("io.kmirror.internal..")
                .because("io.kmirror.internal is not API: the test kit and the programs use the public API only")
                .check(classes);
    }

    @Test
    void mirrorCore_usesNeitherTheTestKitNorThePrograms() {
        noClasses().that().resideInAnyPackage("io.kmirror", "io.kmirror.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("io.kmirror.testkit..", "io.kmirror.cli..",
                        "io.kmirror.examples..")
                .because("mirror-core depends on kafka-clients, slf4j-api and jsr305 only")
                .check(classes);
    }

    @Test
    void theCommandLine_usesNeitherTheTestKitNorTheExamples() {
        noClasses().that().resideInAPackage("io.kmirror.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.kmirror.testkit..", "io.kmirror.examples..")
                .because("kmirror.jar carries mirror-core, kafka-clients, picocli and log4j2, no brokers")
                .check(classes);
    }

    @Test
    void noSourceOutsideMirrorCore_importsItsInternals() throws IOException {
        for (Path sources : List.of(Path.of("src/main/java"), Path.of("../mirror-testkit/src/main/java"))) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    assertThat(Files.readAllLines(file)).as(file.toString())
                            .noneMatch(line -> line.matches("import (static )?io\\.kmirror\\.internal\\..*"));
                }
            }
        }
    }
}

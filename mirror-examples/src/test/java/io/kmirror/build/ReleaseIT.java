package io.kmirror.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * What Maven Central and a modular application need of the build, checked on what {@code mvn package}
 * made: the license, the parent pom's metadata, each module's sources and Javadoc jars and its
 * {@code Automatic-Module-Name}, and the operator's jar without a broker, Scala or JUnit.
 */
class ReleaseIT {

    private static final Path TOP = Path.of("..");
    private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");
    /** The goal issue 18 set for {@code kmirror.jar}. */
    private static final long MAX_OPERATOR_JAR_BYTES = 15L * 1024 * 1024;

    @Test
    void theTopLevel_holdsTheApacheLicense() throws IOException {
        String license = Files.readString(TOP.resolve("LICENSE"));
        assertThat(license).contains("Apache License", "Version 2.0, January 2004", "TERMS AND CONDITIONS FOR USE,"
                + " REPRODUCTION, AND DISTRIBUTION");
    }

    @Test
    void theParentPom_namesLicenseScmUrlAndDevelopers() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(TOP.resolve("pom.xml").toFile());
        for (String element : List.of("url", "licenses", "scm", "developers")) {
            assertThat(pom.getElementsByTagName(element).getLength()).as("<%s> in pom.xml", element).isPositive();
        }
        assertThat(pom.getElementsByTagName("license").item(0).getTextContent()).contains("Apache-2.0");
    }

    @Test
    void everyModule_hasSourcesAndJavadocJars_andAnAutomaticModuleName() throws IOException {
        for (List<String> module : List.of(List.of("mirror-core", "io.kmirror"), List.of("mirror-testkit", "io.kmirror.testkit"),
                List.of("mirror-examples", "io.kmirror.examples"))) {
            Path target = TOP.resolve(module.get(0)).resolve("target");
            String base = module.get(0) + "-" + VERSION;
            assertThat(target.resolve(base + "-sources.jar")).exists();
            assertThat(target.resolve(base + "-javadoc.jar")).exists();
            assertThat(manifest(target.resolve(base + ".jar")).getValue("Automatic-Module-Name")).isEqualTo(module.get(1));
        }
    }

    @Test
    void theOperatorsJar_isSlim_withoutBrokerScalaOrJUnit() throws IOException {
        Path jar = Path.of(System.getProperty("kmirror.jar", "target/kmirror.jar"));
        assertThat(Files.size(jar)).as("kmirror.jar's size").isLessThanOrEqualTo(MAX_OPERATOR_JAR_BYTES);
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.stream().map(ZipEntry::getName))
                    .noneMatch(name -> name.contains("kafka/server") || name.startsWith("scala/") || name.contains("org/junit")
                            || name.startsWith("io/kmirror/testkit/") || name.startsWith("io/kmirror/examples/bench/"))
                    .contains("io/kmirror/cli/KmirrorMain.class", "org/apache/kafka/clients/consumer/KafkaConsumer.class",
                            "picocli/CommandLine.class", "log4j2.xml");
        }
        Attributes manifest = manifest(jar);
        assertThat(manifest.getValue("Main-Class")).isEqualTo("io.kmirror.cli.KmirrorMain");
        assertThat(manifest.getValue("Automatic-Module-Name")).isEqualTo("io.kmirror.cli");
        Attributes demo = manifest(Path.of(System.getProperty("kmirror.demo.jar", "target/kmirror-demo.jar")));
        assertThat(demo.getValue("Main-Class")).isEqualTo("io.kmirror.examples.DemoMain");
        assertThat(demo.getValue("Automatic-Module-Name")).isEqualTo("io.kmirror.demo");
    }

    private static Attributes manifest(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes();
        }
    }
}

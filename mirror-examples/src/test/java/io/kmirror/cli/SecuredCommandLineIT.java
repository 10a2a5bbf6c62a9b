package io.kmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.testkit.Cluster;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmirror.jar} between secured clusters, its files carrying the security settings as MirrorMaker's did:
 * a SASL/SCRAM source and a mutual-TLS destination. The start banner and every line the program prints, Kafka's
 * configuration dumps included, show no secret; a refused login exits 1 naming the side.
 */
@MirrorClusters(source = @Cluster(saslScram = "mirror=" + SecuredCommandLineIT.PASSWORD), destination = @Cluster(ssl = true))
class SecuredCommandLineIT {

    static final String PASSWORD = "mirr0r-Passw0rd-in-a-file";

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    SecuredCommandLineIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void oneOffCopy_fromScramToMutualTls_showsEverySecretHidden(@TempDir Path dir) throws Exception {
        String topic = Topics.unique("testtopic");
        source.createTopic(topic, 4);
        source.produceKeyed(topic, 5_000, 500, 3);
        Map<String, Object> consumer = source.clientConfig();
        Map<String, Object> producer = destination.clientConfig();
        write(dir.resolve("consumer.properties"), consumer);
        write(dir.resolve("producer.properties"), producer);

        try (KmirrorJar kmirror = KmirrorJar.start(dir, "--consumer.config", "consumer.properties", "--producer.config",
                "producer.properties", "--whitelist", topic, "--group", Topics.unique("group"), "--stop-when-caught-up",
                "--log-level", "INFO")) {
            assertThat(kmirror.awaitExit(KmirrorJar.WAIT)).as("exit code; output:%n%s", kmirror.output()).isZero();
            assertThat(kmirror.stdout()).contains("sasl.jaas.config=[hidden]", "ssl.keystore.password=[hidden]",
                    "ssl.key.password=[hidden]", "ssl.truststore.password=[hidden]", "5,000 records mirrored");
            assertThat(kmirror.stderr()).as("Kafka's configuration dumps at INFO").contains("sasl.jaas.config = [hidden]");
            assertShowsNoSecret(kmirror.output(), consumer, producer);
        }
        assertThat(Records.byPartition(destination.readAll(topic))).isEqualTo(Records.byPartition(source.readAll(topic)));
    }

    @Test
    void wrongPassword_exits1NamingTheSourceAndItsUser_showingNoSecret(@TempDir Path dir) throws Exception {
        Map<String, Object> consumer = source.clientConfig("mirror");
        consumer.put("sasl.jaas.config", consumer.get("sasl.jaas.config").toString().replace(PASSWORD, "typ0-in-the-Passw0rd"));
        Map<String, Object> producer = destination.clientConfig("mirror");
        write(dir.resolve("consumer.properties"), consumer);
        write(dir.resolve("producer.properties"), producer);

        try (KmirrorJar kmirror = KmirrorJar.start(dir, "--consumer.config", "consumer.properties", "--producer.config",
                "producer.properties", "--whitelist", Topics.unique("testtopic"), "--log-level", "INFO")) {
            assertThat(kmirror.awaitExit(KmirrorJar.WAIT)).as("exit code; output:%n%s", kmirror.output()).isEqualTo(1);
            assertThat(kmirror.stderr()).contains("kmirror: the mirror failed: source cluster: authentication of User:mirror"
                    + " (SASL_PLAINTEXT) failed: SaslAuthenticationException: Authentication failed during authentication due to"
                    + " invalid credentials with SASL mechanism SCRAM-SHA-512. Check the credentials in the source configuration");
            assertShowsNoSecret(kmirror.output(), consumer, producer);
            assertThat(kmirror.output()).doesNotContain(PASSWORD);
        }
    }

    /** No value of a secret key of either file appears in what the program printed; the JAAS text's password neither. */
    private static void assertShowsNoSecret(String output, Map<String, Object> consumer, Map<String, Object> producer) {
        for (Map<String, Object> config : java.util.List.of(consumer, producer)) {
            config.forEach((key, value) -> {
                if (key.endsWith(".password") || key.equals("sasl.jaas.config")) {
                    assertThat(output).as(key).doesNotContain(value.toString());
                }
            });
        }
        assertThat(output).doesNotContain("typ0-in-the-Passw0rd");
    }

    private static void write(Path file, Map<String, Object> config) throws IOException {
        Properties properties = new Properties();
        config.forEach((key, value) -> properties.setProperty(key, value.toString()));
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, null);
        }
    }
}

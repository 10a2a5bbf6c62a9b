package io.kmirror.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** Secured embedded clusters: what a host application testing its own secured setup relies on. */
class SecuredClusterIT {

    private static final String ALICE_PASSWORD = "alice-Passw0rd";

    @Test
    void saslPlain_usersSeeOnlyWhatTheirAclsAllow_andTheHelpersWorkAsTheSuperuser() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().saslPlain(Map.of("alice", ALICE_PASSWORD)).start()) {
            kafka.createTopic("orders", 2);
            kafka.produceKeyed("orders", 100, 10, 1);
            assertThat(kafka.readAll("orders")).hasSize(100);

            Map<String, Object> alice = kafka.clientConfig("alice");
            assertThat(alice).containsEntry("bootstrap.servers", kafka.bootstrapServers())
                    .containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "PLAIN");
            assertThat(alice.get("sasl.jaas.config").toString()).contains("username=\"alice\"").contains(ALICE_PASSWORD);
            assertThat(kafka.principal("alice")).isEqualTo("User:alice");
            try (Admin admin = Admin.create(alice)) {
                assertThat(admin.listTopics().names().get()).as("topics alice may describe, before any ACL").isEmpty();
                kafka.allow("alice", new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL), AclOperation.DESCRIBE);
                assertThat(admin.listTopics().names().get()).containsExactly("orders");
            }
            assertThat(kafka.toString()).contains("SASL/PLAIN users [alice]").doesNotContain(ALICE_PASSWORD);
            assertThatThrownBy(() -> kafka.clientConfig("mallory")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the cluster has no user mallory; its users are [admin, alice]");
        }
    }

    @Test
    void saslScramOverTls_acceptsBothScramMechanisms_andRefusesAWrongPassword() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().saslScram(Map.of("alice", ALICE_PASSWORD)).ssl().start()) {
            Map<String, Object> alice = kafka.clientConfig("alice");
            assertThat(alice).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("ssl.truststore.type", "PKCS12").containsKeys("ssl.truststore.location", "ssl.truststore.password")
                    .doesNotContainKey("ssl.keystore.location");
            assertThat(clusterIdAs(alice)).isEqualTo(kafka.clusterId());
            Map<String, Object> sha256 = new HashMap<>(alice);
            sha256.put("sasl.mechanism", "SCRAM-SHA-256");
            assertThat(clusterIdAs(sha256)).isEqualTo(kafka.clusterId());

            Map<String, Object> wrong = new HashMap<>(alice);
            wrong.put("sasl.jaas.config", alice.get("sasl.jaas.config").toString().replace(ALICE_PASSWORD, "wrong"));
            assertThatThrownBy(() -> clusterIdAs(wrong)).hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void ssl_alone_isMutualTls_withACertificateForAnyUser() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().ssl().start()) {
            kafka.createTopic("orders", 1);
            kafka.produceKeyed("orders", 10, 10, 1);
            assertThat(kafka.readAll("orders")).hasSize(10);

            Map<String, Object> bob = kafka.clientConfig("bob");
            assertThat(bob).containsEntry("security.protocol", "SSL").containsKeys("ssl.keystore.location", "ssl.keystore.password",
                    "ssl.key.password", "ssl.truststore.location");
            assertThat(kafka.principal("bob")).isEqualTo("User:CN=bob");
            assertThat(clusterIdAs(bob)).isEqualTo(kafka.clusterId());

            Map<String, Object> noCertificate = new HashMap<>(bob);
            noCertificate.keySet().removeAll(Set.of("ssl.keystore.location", "ssl.keystore.password", "ssl.key.password"));
            assertThatThrownBy(() -> clusterIdAs(noCertificate)).hasRootCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                    .hasCauseInstanceOf(SslAuthenticationException.class);
            assertThat(bob.get("ssl.keystore.location").toString()).startsWith(kafka.baseDirectory().toString());
        }
    }

    private static String clusterIdAs(Map<String, Object> config) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster().clusterId().get(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 30 s", e);
        }
    }
}

package io.kmirror.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;

class TestKafkaClustersTest {

    @Test
    void select_embeddedByDefault_thePropertyBeforeTheEnvironment() {
        assertThat(ClusterKind.select(null, null)).isEqualTo(ClusterKind.EMBEDDED);
        assertThat(ClusterKind.select(" ", "")).isEqualTo(ClusterKind.EMBEDDED);
        assertThat(ClusterKind.select(null, "container")).isEqualTo(ClusterKind.CONTAINER);
        assertThat(ClusterKind.select("Embedded", "container")).isEqualTo(ClusterKind.EMBEDDED);
        assertThat(ClusterKind.select(" CONTAINER ", null)).isEqualTo(ClusterKind.CONTAINER);
    }

    @Test
    void select_namesTheBadSettingAndTheValidValues() {
        assertThatThrownBy(() -> ClusterKind.select(null, "docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment variable KMIRROR_TESTKIT is 'docker'; use one of embedded, container");
        assertThatThrownBy(() -> ClusterKind.select("kraft", null))
                .hasMessage("system property kmirror.testkit is 'kraft'; use one of embedded, container");
    }

    @Test
    void aContainerClusterHasOneBroker() {
        assertThatThrownBy(() -> TestKafkaClusters.builder().kind(ClusterKind.CONTAINER).brokers(3).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a container cluster has one broker, 3 were asked for; use an embedded cluster"
                        + " (EmbeddedKafkaCluster, or kmirror.testkit=embedded)");
    }

    @Test
    void everyBuilder_checksTheSharedSettingsAlike() {
        for (ClusterBuilder<?> builder : java.util.List.<ClusterBuilder<?>>of(EmbeddedKafkaCluster.builder(),
                ContainerKafkaCluster.builder(), TestKafkaClusters.builder())) {
            assertThatThrownBy(() -> builder.brokers(0)).hasMessage("brokers must be at least 1, was 0");
            assertThatThrownBy(() -> builder.waitTimeout(java.time.Duration.ZERO)).hasMessage("waitTimeout must be positive, was PT0S");
            assertThat(builder.brokerConfig("log.retention.ms", 5).toString()).contains("brokerConfig={log.retention.ms=5}");
        }
    }

    @Test
    void everyBuilder_checksTheSecuritySettingsAlike_andNeverShowsAPassword() {
        for (ClusterBuilder<?> builder : java.util.List.<ClusterBuilder<?>>of(EmbeddedKafkaCluster.builder(),
                ContainerKafkaCluster.builder(), TestKafkaClusters.builder())) {
            assertThatThrownBy(() -> builder.saslPlain(java.util.Map.of())).hasMessage("saslPlain needs at least one user");
            assertThatThrownBy(() -> builder.saslScram(java.util.Map.of("two words", "pw")))
                    .hasMessage("user name 'two words' is not valid: use letters, digits, '.', '_' and '-'");
            assertThatThrownBy(() -> builder.saslScram(java.util.Map.of("alice", ""))).hasMessage("user alice has no password");
            builder.saslScram(java.util.Map.of("alice", "alice-Passw0rd")).ssl();
            assertThatThrownBy(() -> builder.saslPlain(java.util.Map.of("bob", "pw")))
                    .hasMessage("SASL is already set to SCRAM; a test cluster takes one of saslPlain and saslScram");
            assertThat(builder.toString()).contains("security=SASL/SCRAM users [alice], TLS").doesNotContain("alice-Passw0rd");
        }
    }

    @Test
    void aContainerClusterRunsWithoutSecurity() {
        assertThatThrownBy(() -> TestKafkaClusters.builder().kind(ClusterKind.CONTAINER).ssl().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a container cluster runs without security; mutual TLS was asked for: use an embedded cluster"
                        + " (EmbeddedKafkaCluster, or kmirror.testkit=embedded)");
    }

    @Test
    void withoutDocker_aContainerClusterDoesNotStart_andSaysWhy() {
        assumeFalse(ContainerKafkaCluster.isDockerAvailable(), "Docker is available here");

        assertThat(TestKafkaClusters.canStart(ClusterKind.CONTAINER)).isFalse();
        assertThat(TestKafkaClusters.canStart(ClusterKind.EMBEDDED)).isTrue();
        assertThatThrownBy(() -> TestKafkaClusters.builder().kind(ClusterKind.CONTAINER).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot start a ContainerKafkaCluster: Testcontainers finds no Docker engine; use the embedded"
                        + " cluster (the default, kmirror.testkit=embedded) or start Docker");
    }

    @Test
    void theDefaultImage_isTheBrokerOfTheClientsInUse() {
        assertThat(ContainerKafkaCluster.defaultImage()).isEqualTo("apache/kafka:"
                + org.apache.kafka.common.utils.AppInfoParser.getVersion());
    }
}

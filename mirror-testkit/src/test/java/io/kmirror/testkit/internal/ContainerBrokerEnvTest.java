package io.kmirror.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerBrokerEnvTest {

    @Test
    void variable_followsTheApacheKafkaImagesNaming() {
        assertThat(ContainerBrokerEnv.variable("log.retention.ms")).isEqualTo("KAFKA_LOG_RETENTION_MS");
        assertThat(ContainerBrokerEnv.variable("a_b-c.d")).isEqualTo("KAFKA_A__B___C_D");
    }

    @Test
    void of_givesEachClusterItsOwnId_andTheUsersSettingsWin() {
        Map<String, String> env = ContainerBrokerEnv.of("id-1", Map.of("num.partitions", 4));

        assertThat(env).containsEntry("CLUSTER_ID", "id-1").containsEntry("KAFKA_NUM_PARTITIONS", "4")
                .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "1");
    }
}

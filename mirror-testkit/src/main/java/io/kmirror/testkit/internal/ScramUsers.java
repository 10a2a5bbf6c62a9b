package io.kmirror.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaException;

/**
 * Creates the SCRAM credentials of a SASL/SCRAM test cluster once it runs (the superuser logs in with
 * PLAIN for that) and returns when the brokers accept them.
 */
public final class ScramUsers {

    /** Kafka's minimum iteration count: the cheapest login, which is all a test cluster needs. */
    private static final int ITERATIONS = 4096;

    private ScramUsers() {
    }

    /**
     * Creates a SCRAM-SHA-256 and a SCRAM-SHA-512 credential for every user of {@code credentials}, then
     * waits until every broker lets the superuser log in with SCRAM.
     *
     * @param bootstrapServers the cluster's brokers
     * @param credentials the cluster's users
     * @param timeout upper bound of the wait
     * @throws KafkaException if the credentials cannot be created
     * @throws org.apache.kafka.common.errors.TimeoutException if the login does not work within {@code timeout}
     */
    public static void create(String bootstrapServers, ClusterCredentials credentials, Duration timeout) {
        try (Admin admin = Admin.create(withServers(credentials.plainSuperuserConfig(), bootstrapServers))) {
            // one request per mechanism: a request may alter a user's credentials only once
            for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                List<UserScramCredentialAlteration> upserts = new ArrayList<>();
                credentials.scramUsers().forEach((user, password) -> upserts.add(
                        new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, ITERATIONS), password)));
                KafkaCalls.get(admin.alterUserScramCredentials(upserts).all(), "create the " + mechanism + " users", timeout);
            }
        }
        // each broker takes the credentials from the metadata log a little after the controller committed them
        for (String broker : bootstrapServers.split(",")) {
            Map<String, Object> scram = withServers(credentials.clientConfig(ClusterSecurity.SUPERUSER), broker);
            KafkaCalls.awaitCondition(() -> {
                try (Admin admin = Admin.create(scram)) {
                    KafkaCalls.get(admin.describeCluster().clusterId(), "log in with SCRAM", Duration.ofSeconds(5));
                    return true;
                }
            }, "broker " + broker + " to accept the SCRAM users", timeout);
        }
    }

    private static Map<String, Object> withServers(Map<String, Object> config, String bootstrapServers) {
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kmirror-testkit-scram-setup");
        return config;
    }
}

package io.kmirror.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.ClusterAccessException;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

class ClusterAccessTest {

    private static final String PASSWORD = "alice-Passw0rd";
    private static final Map<String, Object> SCRAM_OVER_TLS = Map.of(
            "bootstrap.servers", "source:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\""
                    + PASSWORD + "\";",
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "ssl.truststore.password", "truststore-Passw0rd");

    @Test
    void principal_isTheSaslUserOfTheJaasText_orAnonymous_orUnknown() {
        assertThat(ClusterAccess.source(SCRAM_OVER_TLS).principal()).isEqualTo("User:alice");
        assertThat(ClusterAccess.source(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=bob password=x;")).principal())
                .isEqualTo("User:bob");
        assertThat(ClusterAccess.source(Map.of("bootstrap.servers", "source:9092")).principal()).isEqualTo("User:ANONYMOUS");
        assertThat(ClusterAccess.source(Map.of("security.protocol", "SSL")).principal()).as("TLS without a client certificate")
                .isEqualTo("User:ANONYMOUS");
        assertThat(ClusterAccess.source(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "GSSAPI", "sasl.jaas.config",
                "com.sun.security.auth.module.Krb5LoginModule required principal=\"mirror@EXAMPLE.COM\";")).principal())
                .as("mapped by the brokers' Kerberos rules").isNull();
        assertThat(ClusterAccess.source(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "not JAAS")).principal()).isNull();
    }

    @Test
    void failedAuthentication_namesSidePrincipalAndTheKeysToCheck_neverThePassword() {
        ClusterAccessException denial = ClusterAccess.source(SCRAM_OVER_TLS).denial(new KafkaException("poll failed",
                new SaslAuthenticationException("Authentication failed due to invalid credentials with SASL mechanism SCRAM-SHA-512")),
                "READ on the mirrored topics");

        assertThat(denial.side()).isEqualTo(ClusterAccessException.Side.SOURCE);
        assertThat(denial.principal()).contains("User:alice");
        assertThat(denial.denied()).isEqualTo("authentication");
        assertThat(denial).hasMessage("source cluster: authentication of User:alice (SASL_SSL) failed: SaslAuthenticationException:"
                + " Authentication failed due to invalid credentials with SASL mechanism SCRAM-SHA-512. Check the credentials in the"
                + " source configuration (sasl.mechanism, sasl.jaas.config, ssl.truststore.*, ssl.keystore.*); retrying cannot help");
        assertThat(denial.getMessage()).doesNotContain(PASSWORD).doesNotContain("truststore-Passw0rd");
    }

    @Test
    void missingPermission_namesSidePrincipalAndWhatWasDenied() {
        ClusterAccess destination = ClusterAccess.destination(SCRAM_OVER_TLS);
        TopicAuthorizationException refused = new TopicAuthorizationException(Set.of("orders"));

        ClusterAccessException denial = destination.denial(new KafkaException("send failed", refused),
                ClusterAccess.producerNeeds(refused, "topic fallback", null));

        assertThat(denial.side()).isEqualTo(ClusterAccessException.Side.DESTINATION);
        assertThat(denial.denied()).isEqualTo("WRITE on topic orders");
        assertThat(denial).hasMessage("destination cluster: User:alice (SASL_SSL) is not allowed WRITE on topic orders:"
                + " TopicAuthorizationException: Not authorized to access topics: [orders]. Grant it with an ACL on the destination"
                + " cluster (kafka-acls.sh --add --allow-principal User:alice ...); retrying cannot help");
    }

    @Test
    void aRefusalIsNamedOnce_andOtherFailuresAreLeftAlone() {
        ClusterAccessException named = ClusterAccess.destination(SCRAM_OVER_TLS).denial(
                new TopicAuthorizationException(Set.of("orders")), "WRITE on topic orders");
        KafkaException rethrown = new KafkaException("User rebalance callback throws an error", named);

        assertThat(ClusterAccess.source(SCRAM_OVER_TLS).denial(rethrown, "READ on topic orders")).isSameAs(named);
        KafkaException other = new KafkaException("the broker is down");
        assertThat(ClusterAccess.source(SCRAM_OVER_TLS).denial(other, "READ")).isNull();
        assertThat(ClusterAccess.source(SCRAM_OVER_TLS).named(other, "READ")).isSameAs(other);
    }

    @Test
    void producerNeeds_followsWhatTheBrokerRefused() {
        assertThat(ClusterAccess.producerNeeds(new TransactionalIdAuthorizationException("no"), "topic t", "kmirror-g-c-t-0"))
                .isEqualTo("WRITE on transactional id kmirror-g-c-t-0");
        assertThat(ClusterAccess.producerNeeds(new GroupAuthorizationException("no", "kmirror-offsets-g"), "topic t", "id"))
                .isEqualTo("READ on group kmirror-offsets-g");
        assertThat(ClusterAccess.producerNeeds(new ClusterAuthorizationException("no"), "topic t", null))
                .isEqualTo("IDEMPOTENT_WRITE on the cluster");
        assertThat(ClusterAccess.producerNeeds(new KafkaException("Unexpected error in TxnOffsetCommitResponse: Topic authorization"
                + " failed."), "topic t", "id")).isEqualTo("READ on topic t");
        assertThat(ClusterAccess.producerNeeds(new TopicAuthorizationException("no"), "topic t", null)).isEqualTo("WRITE on topic t");
    }
}

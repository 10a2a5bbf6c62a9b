package io.kmirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Security settings a client cannot even be made with: the mirror fails at start naming the side, and no secret shows. */
class MisconfiguredSecurityTest {

    private static final String SECRET = "Sup3rSecret-typed-in-the-wrong-place";

    @Test
    void aJaasTextKafkaCannotParse_failsTheMirrorNamingTheSide_withoutQuotingThePassword() throws Exception {
        // the password ended up where the control flag belongs: Kafka's own parser quotes it in its error
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule " + SECRET + " username=\"mirror\";";
        Mirror mirror = Mirror.builder()
                .source(Map.of("bootstrap.servers", "localhost:9", "security.protocol", "SASL_PLAINTEXT",
                        "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", jaas))
                .destination(Map.of("bootstrap.servers", "localhost:10"))
                .topics(TopicFilter.include("orders"))
                .build();
        try (mirror) {
            mirror.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (mirror.state() != MirrorState.FAILED && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        assertThat(mirror.state()).isEqualTo(MirrorState.FAILED);
        Throwable failure = mirror.failure().orElseThrow();
        assertThat(failure).hasMessage("source cluster: cannot create a client with the source configuration: Failed to create new"
                + " KafkaAdminClient: Failed to create new NetworkClient: Invalid login module control flag '[hidden]' in JAAS config");
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(SECRET);
    }
}

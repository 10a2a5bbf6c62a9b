package io.kmirror.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.ConfigProblem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMaskingTest {

    private static final String SECRET = "Sup3rSecret";

    @Test
    void secretsAreKafkasPasswordTypedKeysAndTheJaasText_notGuessedFromNames() {
        assertThat(ConfigMasking.isSecret("sasl.jaas.config")).isTrue();
        assertThat(ConfigMasking.isSecret("ssl.keystore.password")).isTrue();
        assertThat(ConfigMasking.isSecret("ssl.key.password")).isTrue();
        assertThat(ConfigMasking.isSecret("ssl.truststore.certificates")).isTrue();
        assertThat(ConfigMasking.isSecret("my.password.hint")).as("not a Kafka client key").isFalse();
        assertThat(ConfigMasking.isSecret("bootstrap.servers")).isFalse();
    }

    @Test
    void scrub_hidesAPasswordThatKafkasJaasParserQuotes_butKeepsTheUserName() {
        // what Kafka 4.3's JAAS parser says about these texts, each quoting the misplaced password
        Map<String, Object> flag = Map.of("sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule " + SECRET + " username=\"alice\";");
        assertThat(ConfigMasking.scrub("Invalid login module control flag '" + SECRET + "' in JAAS config", flag))
                .isEqualTo("Invalid login module control flag '[hidden]' in JAAS config");
        Map<String, Object> module = Map.of("sasl.jaas.config", SECRET + " required;");
        assertThat(ConfigMasking.scrub("javax.security.auth.login.LoginException: No LoginModule found for " + SECRET, module))
                .isEqualTo("javax.security.auth.login.LoginException: No LoginModule found for [hidden]");
        Map<String, Object> valid = Map.of("sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"" + SECRET + "\";");
        assertThat(ConfigMasking.scrub("User:alice was refused; password " + SECRET, valid))
                .isEqualTo("User:alice was refused; password [hidden]");
    }

    @Test
    void scrub_hidesTheValuesOfPasswordKeys() {
        assertThat(ConfigMasking.scrub("cannot open with " + SECRET, Map.of("ssl.keystore.password", SECRET)))
                .isEqualTo("cannot open with [hidden]");
        assertThat(ConfigMasking.scrub("cannot open with " + SECRET, Map.of("ssl.keystore.location", SECRET)))
                .as("not a secret key").contains(SECRET);
    }

    @Test
    void maskedForms_ofConfigsAndProblems() {
        LayeredConfig layers = new LayeredConfig(Map.of("acks", "all"), Map.of("sasl.jaas.config", SECRET), Map.of());
        assertThat(layers.toString()).doesNotContain(SECRET).contains("sasl.jaas.config=[hidden]");
        ConfigProblem problem = new ConfigProblem("source", "ssl.key.password", SECRET, "is wrong", "");
        assertThat(problem.value()).isEqualTo("[hidden]");
    }
}

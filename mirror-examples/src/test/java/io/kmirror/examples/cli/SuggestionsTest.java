package io.kmirror.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void distance_countsInsertionsDeletionsAndSubstitutions() {
        assertThat(Suggestions.distance("whitelist", "whitelist")).isZero();
        assertThat(Suggestions.distance("whitelst", "whitelist")).isEqualTo(1);
        assertThat(Suggestions.distance("consumer-config", "consumer.config")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void nearest_isTheClosestCandidate_onlyWhenCloseEnough() {
        List<String> options = List.of("--whitelist", "--include", "--exclude", "--num.streams");
        assertThat(Suggestions.nearest("--inclde", options)).contains("--include");
        assertThat(Suggestions.nearest("--num-streams", options)).contains("--num.streams");
        assertThat(Suggestions.nearest("--frobnicate", options)).isEmpty();
    }
}

package io.kmirror.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void unique_returnsADifferentLegalNameEachCall() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(Topics.unique("orders"));
        }

        assertThat(names).hasSize(1000).allMatch(name -> name.matches("orders-\\d+-[0-9a-z]{6}"));
    }

    @Test
    void unique_rejectsAPrefixThatIsNoTopicName() {
        assertThatThrownBy(() -> Topics.unique("orders/eu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a topic name prefix must be 1 to 200 characters of [a-zA-Z0-9._-], was 'orders/eu'");
        assertThatThrownBy(() -> Topics.unique(""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.kmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicFilterTest {

    private static final List<String> TOPICS = List.of("orders", "orders-eu", "orders-internal", "payments", "audit");

    private static List<String> matching(TopicFilter filter) {
        return TOPICS.stream().filter(filter::matches).toList();
    }

    @Test
    void include_matchesWholeTopicName() {
        assertThat(matching(TopicFilter.include("orders.*"))).containsExactly("orders", "orders-eu", "orders-internal");
        assertThat(matching(TopicFilter.include("order"))).isEmpty();
    }

    @Test
    void exclude_removesFromWhatIsIncluded() {
        TopicFilter filter = TopicFilter.include("orders.*").exclude(".*-internal");
        assertThat(matching(filter)).containsExactly("orders", "orders-eu");
    }

    @Test
    void orInclude_addsAlternatives() {
        TopicFilter filter = TopicFilter.include("orders").orInclude("pay.*").exclude("nothing");
        assertThat(matching(filter)).containsExactly("orders", "payments");
    }

    @Test
    void whitelist_readsMirrorMakerSyntax_commaMeansOr_spacesAndQuotesIgnored() {
        assertThat(matching(TopicFilter.whitelist("orders, payments"))).containsExactly("orders", "payments");
        assertThat(matching(TopicFilter.whitelist("'orders.*|audit'"))).containsExactly("orders", "orders-eu", "orders-internal", "audit");
        assertThat(matching(TopicFilter.whitelist("\"audit\""))).containsExactly("audit");
    }

    @Test
    void customFilter_canBeCombinedWithExclude() {
        TopicFilter custom = topic -> topic.length() > 6;
        assertThat(matching(custom.exclude(".*-internal"))).containsExactly("orders-eu", "payments");
    }

    @Test
    void invalidRegex_isReportedByBuild_quotingTheRegex() {
        TopicFilter filter = TopicFilter.include("orders[").exclude("(bad");
        assertThatThrownBy(() -> Mirror.builder()
                .source(Map.of("bootstrap.servers", "a:9092"))
                .destination(Map.of("bootstrap.servers", "b:9092"))
                .topics(filter)
                .build())
                .isInstanceOf(MirrorConfigException.class)
                .hasMessageContaining("include regex 'orders[' does not compile")
                .hasMessageContaining("exclude regex '(bad' does not compile");
    }

    @Test
    void invalidRegex_refusesToMatchRatherThanGuess() {
        assertThatThrownBy(() -> TopicFilter.include("[").matches("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'['");
    }
}

package io.kmirror.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class FaultsTest {

    @Test
    void onlyAnotherProducerWithTheSameIdIsAFence_notATimedOutTransaction() {
        assertThat(Faults.isFence(new ProducerFencedException("another instance"))).isTrue();
        assertThat(Faults.isFence(new KafkaException("commit failed", new ProducerFencedException("wrapped")))).isTrue();
        assertThat(Faults.isFence(new InvalidProducerEpochException("transaction timed out (KIP-588)"))).isFalse();
    }

    @Test
    void recordRefusals_areTheRecordsFault_timeoutsAreNot() {
        assertThat(Faults.isRecordRefusal(new RecordTooLargeException("too large"))).isTrue();
        assertThat(Faults.isRecordRefusal(new KafkaException("wrapped", new RecordTooLargeException("too large")))).isTrue();
        assertThat(Faults.isRecordRefusal(new TimeoutException("Expiring 5 record(s)"))).isFalse();
    }

    @Test
    void authenticationAndAuthorization_areFatal_andNeverTransient() {
        assertThat(Faults.isFatal(new SaslAuthenticationException("bad password"))).isTrue();
        assertThat(Faults.isFatal(new KafkaException(new TopicAuthorizationException("no WRITE")))).isTrue();
        assertThat(Faults.isTransient(new KafkaException(new TopicAuthorizationException("no WRITE")))).isFalse();
        assertThat(Faults.isTransient(new NotLeaderOrFollowerException("moved"))).isTrue();
        assertThat(Faults.isTransient(new KafkaException("scan", new java.util.concurrent.TimeoutException()))).isTrue();
        assertThat(Faults.isTransient(new KafkaException("a bug"))).isFalse();
    }

    @Test
    void aRefusalReportedOnlyInWords_isFatal() {
        // what a transactional producer throws when the broker refuses its offset commit (READ on the topic missing)
        KafkaException inWords = new KafkaException("Unexpected error in TxnOffsetCommitResponse: Topic authorization failed.");
        assertThat(Faults.isFatal(inWords)).isTrue();
        assertThat(Faults.isTransient(inWords)).isFalse();
        assertThat(Faults.refusal(new KafkaException("commit failed", inWords))).isInstanceOf(TopicAuthorizationException.class)
                .hasMessage("Unexpected error in TxnOffsetCommitResponse: Topic authorization failed.");
        assertThat(Faults.refusal(new KafkaException("Unexpected error in TxnOffsetCommitResponse: The coordinator is loading"))).isNull();
    }
}

package io.kmirror.testkit;

import static io.kmirror.testkit.MirrorAssertions.assertThat;
import static io.kmirror.testkit.MirrorAssertions.assertThatThrownBy;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.kmirror.Mirror;
import io.kmirror.MirrorConfigException;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.internal.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every assertion passes on a right destination and FAILS, with a message a person understands, on a
 * wrong one: a record missing, two swapped, one duplicated, a header changed. The wrong destinations
 * are written by hand: the source's records copied with one fault. One pair of clusters for all.
 */
@MirrorClusters
class MirrorAssertionsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Source
    static TestKafkaCluster source;
    @Destination
    static TestKafkaCluster destination;

    /** The source topic every topic test copies: 3 partitions with 250, 250 and 500 records, 50 keys. */
    private static String topic;
    private static List<ConsumerRecord<byte[], byte[]>> sourceRecords;

    @BeforeAll
    static void writeTheSourceTopic() {
        topic = Topics.unique("orders");
        source.createTopic(topic, 3);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : TestRecords.keyed(topic, 1000, 50, 42)) {
            int seq = Integer.parseInt(new String(record.headers().lastHeader("seq").value(), UTF_8));
            int partition = seq < 250 ? 0 : seq < 500 ? 1 : 2;
            records.add(new ProducerRecord<>(topic, partition, null, record.key(), record.value(), record.headers()));
        }
        source.produce(topic, records);
        sourceRecords = source.readAll(topic);
    }

    /** A new destination topic of {@code partitions} partitions holding {@code records}, each in the partition {@code partitioner} says. */
    private static String destinationTopic(int partitions, List<ConsumerRecord<byte[], byte[]>> records,
                                           ToIntFunction<ConsumerRecord<byte[], byte[]>> partitioner) {
        String name = Topics.unique("copy");
        destination.createTopic(name, partitions);
        List<ProducerRecord<byte[], byte[]>> copies = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            copies.add(new ProducerRecord<>(name, partitioner.applyAsInt(r), r.timestamp(), r.key(), r.value(),
                    new RecordHeaders(r.headers().toArray())));
        }
        destination.produce(name, copies);
        return name;
    }

    /** A destination topic with the source's partitions holding {@code records}. */
    private static String samePartitions(List<ConsumerRecord<byte[], byte[]>> records) {
        return destinationTopic(3, records, ConsumerRecord::partition);
    }

    private static ConsumerRecord<byte[], byte[]> at(int partition, long offset) {
        return sourceRecords.stream().filter(r -> r.partition() == partition && r.offset() == offset).findFirst().orElseThrow();
    }

    private static ConsumerRecord<byte[], byte[]> withSeqHeader(ConsumerRecord<byte[], byte[]> r, String seq) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("seq", seq.getBytes(UTF_8));
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                r.serializedKeySize(), r.serializedValueSize(), r.key(), r.value(), headers, r.leaderEpoch());
    }

    @Nested
    class ContainsExactlyRecordsOf {

        @Test
        void passes_onAnExactCopy() {
            String copy = samePartitions(sourceRecords);

            assertThat(destination).topic(copy).containsExactlyRecordsOf(source.topic(topic));
        }

        @Test
        void fails_onAMissingRecord_namingTheOffsetsAndPartition() {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(sourceRecords);
            records.removeIf(r -> r.partition() == 2 && r.offset() >= 412 && r.offset() <= 414);
            String copy = samePartitions(records);

            assertThatThrownBy(() -> assertThat(destination).topic(copy).containsExactlyRecordsOf(source.topic(topic)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("expected 1000 records in " + copy + ", found 997; missing offsets 412–414 on partition 2\n")
                    .hasMessageContaining("first difference on partition 2, record #412:\n"
                            + "  expected (" + topic + " on source, offset 412): key=" + key(at(2, 412)) + " value=\"value-912-")
                    .hasMessageContaining("  found    (" + copy + " on destination, offset 412): key=" + key(at(2, 415))
                            + " value=\"value-915-")
                    .hasMessageEndingWith("compared " + copy + " on destination with " + topic
                            + " on source: key, value, headers and timestamp of every record, per partition in offset order");
        }

        @Test
        void fails_onTwoSwappedRecords_sayingTheOrderDiffers() {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(sourceRecords);
            records.set(10, sourceRecords.get(11));
            records.set(11, sourceRecords.get(10));
            String copy = samePartitions(records);

            assertThatThrownBy(() -> assertThat(destination).topic(copy).containsExactlyRecordsOf(source.topic(topic)))
                    .hasMessageStartingWith("expected 1000 records in " + copy + ", found 1000; the same records in another order on partition 0\n"
                            + "first difference on partition 0, record #10:\n"
                            + "  expected (" + topic + " on source, offset 10): key=" + key(at(0, 10)) + " value=\"value-10-")
                    .hasMessageContaining("headers=[seq=\"10\"]")
                    .hasMessageContaining("  found    (" + copy + " on destination, offset 10): key=" + key(at(0, 11)) + " value=\"value-11-");
        }

        @Test
        void fails_onADuplicate_namingTheUnexpectedOffset() {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(sourceRecords);
            records.add(at(1, 17)); // lands at the end of partition 1: offset 250
            String copy = samePartitions(records);

            assertThatThrownBy(() -> assertThat(destination).topic(copy).containsExactlyRecordsOf(source.topic(topic)))
                    .hasMessageStartingWith("expected 1000 records in " + copy + ", found 1001; an unexpected record at offset 250 on partition 1\n"
                            + "first difference on partition 1, record #250:\n"
                            + "  expected nothing: partition 1 of " + topic + " on source ends after 250 records\n"
                            + "  found    (" + copy + " on destination, offset 250): key=" + key(at(1, 17)) + " value=\"value-267-");
        }

        @Test
        void fails_onAWrongHeader_showingBothHeaders() {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(sourceRecords);
            records.set(5, withSeqHeader(sourceRecords.get(5), "wrong"));
            String copy = samePartitions(records);

            assertThatThrownBy(() -> assertThat(destination).topic(copy).containsExactlyRecordsOf(source.topic(topic)))
                    .hasMessageStartingWith("expected 1000 records in " + copy + ", found 1000; a different record at offset 5 on partition 0\n")
                    .hasMessageContaining("  expected (" + topic + " on source, offset 5): key=" + key(at(0, 5)))
                    .hasMessageContaining("headers=[seq=\"5\"] timestamp=" + at(0, 5).timestamp())
                    .hasMessageContaining("headers=[seq=\"wrong\"] timestamp=" + at(0, 5).timestamp());
        }

        @Test
        void fails_onAnotherTimestamp_unlessIgnoringTimestamps() {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(sourceRecords);
            ConsumerRecord<byte[], byte[]> r = sourceRecords.get(7);
            records.set(7, new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp() + 1, r.timestampType(),
                    r.serializedKeySize(), r.serializedValueSize(), r.key(), r.value(), r.headers(), r.leaderEpoch()));
            String copy = samePartitions(records);

            assertThatThrownBy(() -> assertThat(destination).topic(copy).containsExactlyRecordsOf(source.topic(topic)))
                    .hasMessageContaining("a different record at offset 7 on partition 0")
                    .hasMessageContaining("timestamp=" + (r.timestamp() + 1));
            assertThat(destination).topic(copy).ignoringTimestamps().containsExactlyRecordsOf(source.topic(topic));
        }

        @Test
        void fails_onAnotherPartitionCount() {
            String copy = destinationTopic(4, sourceRecords, ConsumerRecord::partition);

            assertThatThrownBy(() -> assertThat(destination).topic(copy).containsExactlyRecordsOf(source.topic(topic)))
                    .hasMessageStartingWith("expected 1000 records in " + copy + ", found 1000; expected 3 partitions, found 4\n");
        }
    }

    @Nested
    class PreservesKeyOrderOf {

        /** The destination of a mirror with fewer partitions: each key in the partition of its hash. */
        private final ToIntFunction<ConsumerRecord<byte[], byte[]>> byKeyHash = r -> Utils.toPositive(Utils.murmur2(r.key())) % 2;

        @Test
        void passes_whenEachKeyKeepsItsOrder_inFewerPartitions() {
            String copy = destinationTopic(2, sourceRecords, byKeyHash);

            assertThat(destination).topic(copy).preservesKeyOrderOf(source.topic(topic));
        }

        @Test
        void fails_whenTwoRecordsOfAKeyAreSwapped_namingTheKey() {
            ConsumerRecord<byte[], byte[]> first = sourceRecords.get(0);
            int second = indexOfNextWithKey(first.key(), 1);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(sourceRecords);
            records.set(0, sourceRecords.get(second));
            records.set(second, first);
            String copy = destinationTopic(2, records, byKeyHash);

            assertThatThrownBy(() -> assertThat(destination).topic(copy).preservesKeyOrderOf(source.topic(topic)))
                    .hasMessageStartingWith("expected the records of each key in " + copy + " in the order of " + topic
                            + " on source, but 1 of 50 keys differs: " + key(first) + "\n"
                            + "first difference for key " + key(first) + ", its record #0:\n"
                            + "  expected (" + topic + " on source, partition 0, offset 0): value=\"value-0-")
                    .hasMessageContaining("  found    (" + copy + " on destination, partition " + byKeyHash.applyAsInt(first)
                            + ", offset ")
                    .hasMessageContaining("value=\"value-" + second + "-");
        }

        @Test
        void fails_whenARecordOfAKeyIsMissing() {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(sourceRecords);
            ConsumerRecord<byte[], byte[]> removed = records.remove(999);
            String copy = destinationTopic(2, records, byKeyHash);

            assertThatThrownBy(() -> assertThat(destination).topic(copy).preservesKeyOrderOf(source.topic(topic)))
                    .hasMessageContaining("1 of 50 keys differs: " + key(removed))
                    .hasMessageContaining("  found    nothing: the key has ");
        }

        private int indexOfNextWithKey(byte[] key, int from) {
            for (int i = from; i < sourceRecords.size(); i++) {
                if (java.util.Arrays.equals(sourceRecords.get(i).key(), key)) {
                    return i;
                }
            }
            throw new IllegalStateException("no second record of the key");
        }
    }

    @Nested
    class DuplicatesAndCoverage {

        @Test
        void hasNoDuplicates_failsOnACopy_namingItsPartitionAndOffsets() {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(sourceRecords);
            records.add(at(1, 17));
            String copy = samePartitions(records);

            assertThat(destination).topic(samePartitions(sourceRecords)).hasNoDuplicates();
            assertThatThrownBy(() -> assertThat(destination).topic(copy).hasNoDuplicates())
                    .hasMessage("expected no duplicates in " + copy + ", found 1 record twice:\n"
                            + "  key=" + key(at(1, 17)) + " value=" + text(at(1, 17).value()) + " (100 bytes) headers=[seq=\"267\"]"
                            + " at partition 1 offsets 17 and 250\n"
                            + "(a duplicate: a record with the same key, value and headers as another record of " + copy
                            + " on destination, in any partition)");
        }

        @Test
        void containsAllRecordsOf_allowsDuplicates_butFailsOnAMissingRecord() {
            List<ConsumerRecord<byte[], byte[]>> withDuplicates = new ArrayList<>(sourceRecords);
            withDuplicates.addAll(sourceRecords.subList(0, 100));
            assertThat(destination).topic(samePartitions(withDuplicates)).containsAllRecordsOf(source.topic(topic));

            List<ConsumerRecord<byte[], byte[]>> missing = new ArrayList<>(withDuplicates);
            missing.removeIf(r -> r.partition() == 2 && r.offset() >= 412 && r.offset() <= 414);
            String copy = samePartitions(missing);
            assertThatThrownBy(() -> assertThat(destination).topic(copy).containsAllRecordsOf(source.topic(topic)))
                    .hasMessageStartingWith("expected every one of the 1000 records of " + topic + " on source in " + copy
                            + ", found 1097 records with 3 missing; missing offsets 412–414 on partition 2\n"
                            + "first missing (" + topic + " on source, partition 2, offset 412): key=" + key(at(2, 412)));
        }
    }

    @Nested
    class CountsConfigAndExistence {

        @Test
        void hasRecordCount_namesTheCountOfEachPartition() {
            String copy = samePartitions(sourceRecords);

            assertThat(destination).topic(copy).hasRecordCount(1000);
            assertThatThrownBy(() -> assertThat(destination).topic(copy).hasRecordCount(1001))
                    .hasMessage("expected 1001 records in " + copy + " on destination, found 1000 (per partition: 0=250, 1=250, 2=500)");
        }

        @Test
        void hasRecordCount_countsWhatAReadCommittedConsumerSees() {
            String name = Topics.unique("transactions");
            destination.createTopic(name, 2);
            destination.produceInTransaction(name, TestRecords.keyed(name, 30, 5, 1));
            destination.produceAbortedTransaction(name, TestRecords.keyed(name, 20, 5, 2));

            assertThat(destination).topic(name).hasRecordCount(30);
            assertThat(destination.readAll(name, org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED)).hasSize(50);
        }

        @Test
        void hasPartitionCount_and_hasConfig() {
            String copy = samePartitions(sourceRecords);

            assertThat(destination).topic(copy).hasPartitionCount(3).hasConfig("cleanup.policy", "delete");
            assertThatThrownBy(() -> assertThat(destination).topic(copy).hasPartitionCount(4))
                    .hasMessage("expected " + copy + " on destination to have 4 partitions, found 3");
            assertThatThrownBy(() -> assertThat(destination).topic(copy).hasConfig("cleanup.policy", "compact"))
                    .hasMessage("expected " + copy + " on destination to have cleanup.policy=compact, found cleanup.policy=delete");
        }

        @Test
        void aMissingTopic_failsEveryTopicAssertion_sayingSo() {
            String missing = Topics.unique("missing");

            assertThatThrownBy(() -> assertThat(destination).topic(missing).hasRecordCount(0))
                    .hasMessage("topic " + missing + " does not exist on destination");
            assertThatThrownBy(() -> assertThat(destination).topic(missing).containsExactlyRecordsOf(source.topic(topic)))
                    .hasMessage("topic " + missing + " does not exist on destination");
            assertThatThrownBy(() -> assertThat(destination).hasTopic(missing))
                    .hasMessage("topic " + missing + " does not exist on destination");
            assertThat(destination).doesNotHaveTopic(missing);
            assertThat(destination.topics()).doesNotContain(missing);
        }

        @Test
        void aDescription_precedesTheMessage() {
            String copy = samePartitions(sourceRecords);

            assertThatThrownBy(() -> assertThat(destination.topic(copy)).as("after the failover").hasRecordCount(7))
                    .hasMessageStartingWith("[after the failover] expected 7 records in " + copy);
        }
    }

    @Nested
    class EventuallyRetries {

        @Test
        void untilTheRecordsArrive() throws Exception {
            String name = Topics.unique("late");
            destination.createTopic(name, 1);
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 5; i++) {
                    destination.produce(name, TestRecords.keyed(name, 20, 5, i));
                }
            }, "late-producer");
            producer.start();

            assertThat(destination).topic(name).eventually(WAIT).hasRecordCount(100);
            producer.join(WAIT.toMillis());
        }

        @Test
        void andFailsAfterTheTimeout_withTheLastMismatch() {
            String missing = Topics.unique("never");

            assertThatThrownBy(() -> assertThat(destination).topic(missing).eventually(Duration.ofMillis(300)).exists())
                    .hasMessageStartingWith("topic " + missing + " does not exist on destination\n(still so after retrying for ")
                    .hasMessageEndingWith("; timeout 0.3 s)");
        }

        @Test
        void rejectsATimeoutThatIsNotPositive() {
            assertThatThrownBy(() -> assertThat(destination).topic(topic).eventually(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the timeout of eventually(..) must be positive, was PT0S");
            assertThat(Eventually.POLL_INTERVAL).isEqualTo(Duration.ofMillis(100));
        }
    }

    @Nested
    class OnAMirror {

        /** Source and destination are one cluster under two names: the mirror FAILS at start. */
        private Mirror failingMirror(String name) {
            Map<String, Object> sameCluster = new HashMap<>(source.clientConfig());
            sameCluster.put("bootstrap.servers", source.bootstrapServers().replace("localhost", "127.0.0.1"));
            return Mirror.builder().source(source.clientConfig()).destination(sameCluster)
                    .topics(TopicFilter.include(name)).groupId(Topics.unique("loop")).build();
        }

        private Mirror mirrorOf(String name) {
            return Mirror.builder().source(source.clientConfig()).destination(destination.clientConfig())
                    .topics(TopicFilter.include(name)).groupId(Topics.unique("group"))
                    .offsetCommitInterval(Duration.ofMillis(100)).build();
        }

        @Test
        void aRunningMirror_passes_andCountsAreExact() {
            String name = Topics.unique("mirrored");
            source.createTopic(name, 2);
            source.produceKeyed(name, 100, 10, 3);
            try (Mirror mirror = mirrorOf(name)) {
                mirror.start();
                assertThat(mirror).eventually(WAIT).isRunning();
                assertThat(mirror).hasCaughtUp(WAIT).hasMirrored(100).hasMirroredAtLeast(50).hasNoLag();
                assertThat(destination).topic(name).containsExactlyRecordsOf(source.topic(name));

                assertThatThrownBy(() -> assertThat(mirror).eventually(WAIT).hasMirrored(99))
                        .hasMessageStartingWith("expected " + mirror + " to have mirrored 99 records, found 100 (state RUNNING,"
                                + " 100 records mirrored, total lag 0)")
                        .hasMessageNotContaining("still so after");
                assertThatThrownBy(() -> assertThat(mirror).eventually(Duration.ofMillis(300)).hasMirrored(101))
                        .hasMessageStartingWith("expected " + mirror + " to have mirrored 101 records, found 100")
                        .hasMessageContaining("still so after retrying");
                assertThatThrownBy(() -> assertThat(mirror).hasFailed())
                        .hasMessage("expected " + mirror + " to fail, but it is RUNNING");
                assertThatThrownBy(() -> assertThat(mirror).isStopped())
                        .hasMessage("expected " + mirror + " to be STOPPED, but it is RUNNING");
                mirror.close();
                assertThat(mirror).isStopped();
                assertThatThrownBy(() -> assertThat(mirror).eventually(WAIT).isRunning())
                        .hasMessage("expected " + mirror + " to be RUNNING, but it is STOPPED");
            }
        }

        @Test
        void aFailedMirror_failsFast_withItsFailureAsCause() {
            String name = Topics.unique("loop");
            source.createTopic(name, 1);
            try (Mirror mirror = failingMirror(name)) {
                assertThatThrownBy(() -> assertThat(mirror).isRunning())
                        .hasMessage("expected " + mirror + " to be RUNNING, but it was not started (CREATED)");
                mirror.start();

                assertThat(mirror).eventually(WAIT).hasFailed().isInstanceOf(MirrorConfigException.class);
                assertThatThrownBy(() -> assertThat(mirror).eventually(Duration.ofMinutes(5)).isRunning())
                        .hasMessageStartingWith("expected " + mirror + " to be RUNNING, but the mirror FAILED: io.kmirror.MirrorConfigException:")
                        .hasMessageContaining("endless loop")
                        .hasCauseInstanceOf(MirrorConfigException.class);
                assertThatThrownBy(() -> assertThat(mirror).hasCaughtUp(Duration.ofMinutes(5)))
                        .hasMessageStartingWith("expected " + mirror + " to catch up within 300 s, but the mirror FAILED:")
                        .hasCauseInstanceOf(MirrorConfigException.class);
                assertThatThrownBy(() -> assertThat(destination).topic(name).eventually(Duration.ofMinutes(5)).watching(mirror)
                        .hasRecordCount(1))
                        .hasMessageStartingWith("while checking " + name + " on destination (watching " + mirror
                                + "), but the mirror FAILED: io.kmirror.MirrorConfigException:")
                        .hasMessageNotContaining("still so after");
            }
        }

        @Test
        void softAssertions_collectEveryFailure() {
            String copy = samePartitions(sourceRecords);
            SoftMirrorAssertions softly = new SoftMirrorAssertions();
            softly.assertThat(destination.topic(copy)).hasRecordCount(999).hasPartitionCount(4);
            softly.assertThat(destination.topic(copy)).eventually(Duration.ofMillis(200)).hasConfig("cleanup.policy", "compact");
            softly.assertThat(destination.topic(copy)).containsExactlyRecordsOf(source.topic(topic));

            assertThatThrownBy(softly::assertAll)
                    .hasMessageContaining("Multiple Failures (3 failures)")
                    .hasMessageContaining("expected 999 records in " + copy + " on destination, found 1000")
                    .hasMessageContaining("expected " + copy + " on destination to have 4 partitions, found 3")
                    .hasMessageContaining("to have cleanup.policy=compact, found cleanup.policy=delete");
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return text(record.key());
    }

    private static String text(byte[] bytes) {
        String text = new String(bytes, UTF_8);
        return "\"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
    }
}

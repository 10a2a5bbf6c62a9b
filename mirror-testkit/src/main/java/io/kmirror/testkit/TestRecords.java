package io.kmirror.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Reproducible test records: the same arguments give the same records, in any JVM. */
public final class TestRecords {

    private static final int VALUE_SIZE = 100;

    private TestRecords() {
    }

    /**
     * Returns {@code count} records for {@code topic}, made from {@code seed} alone:
     * <ul>
     *   <li>key: {@code "key-<n>"} in UTF-8, n drawn from {@code [0, distinctKeys)}, so the default
     *       partitioner places all records of a key in one partition, in the order sent;</li>
     *   <li>value: 100 bytes of printable ASCII starting with {@code "value-<seq>-"};</li>
     *   <li>one header {@code seq}: the record's sequence number {@code 0..count-1} as a decimal
     *       string in UTF-8, so no two records are equal;</li>
     *   <li>no partition and no timestamp: the producer chooses them.</li>
     * </ul>
     *
     * @param topic the topic
     * @param count number of records, at least 0
     * @param distinctKeys number of different keys, at least 1
     * @param seed seed of the {@link Random} that picks keys and value bytes
     * @return the records, unmodifiable, in sequence order
     * @throws IllegalArgumentException if {@code count < 0} or {@code distinctKeys < 1}
     */
    public static List<ProducerRecord<byte[], byte[]>> keyed(String topic, int count, int distinctKeys, long seed) {
        Objects.requireNonNull(topic, "topic must not be null");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        if (distinctKeys < 1) {
            throw new IllegalArgumentException("distinctKeys must be at least 1, was " + distinctKeys);
        }
        Random random = new Random(seed);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        for (int seq = 0; seq < count; seq++) {
            byte[] key = ("key-" + random.nextInt(distinctKeys)).getBytes(UTF_8);
            StringBuilder value = new StringBuilder(VALUE_SIZE).append("value-").append(seq).append('-');
            while (value.length() < VALUE_SIZE) {
                value.append((char) ('a' + random.nextInt(26)));
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add(new RecordHeader("seq", Integer.toString(seq).getBytes(UTF_8)));
            records.add(new ProducerRecord<>(topic, null, null, key, value.toString().getBytes(UTF_8), headers));
        }
        return List.copyOf(records);
    }
}

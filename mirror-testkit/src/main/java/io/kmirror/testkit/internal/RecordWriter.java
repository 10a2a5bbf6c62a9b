package io.kmirror.testkit.internal;

import io.kmirror.testkit.TestKafkaCluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes records to a cluster and returns once every one is acknowledged: plainly with an idempotent
 * producer, or inside one transaction that is committed or aborted.
 */
public final class RecordWriter {

    private RecordWriter() {
    }

    /**
     * Sends records with an idempotent producer ({@code acks=all}) and waits for every acknowledgement.
     *
     * @param cluster the cluster
     * @param topic the topic every record is for
     * @param records the records, written per partition in the order given
     * @throws IllegalArgumentException if a record is for another topic
     * @throws KafkaException if a record was not acknowledged
     */
    public static void produce(TestKafkaCluster cluster, String topic, Collection<ProducerRecord<byte[], byte[]>> records) {
        checkTopic(topic, records);
        Map<String, Object> config = cluster.clientConfig();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, ClientIds.next(cluster.clusterId(), "producer"));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            awaitAcknowledgements(topic, send(producer, records));
        }
    }

    /**
     * Sends records inside one transaction of a new transactional producer and commits or aborts it.
     * Before an abort the producer is flushed and every record acknowledged, so that the aborted
     * records are in the log (a {@code read_uncommitted} reader sees them; a {@code read_committed}
     * one skips them). The transaction's markers take one offset per partition written.
     *
     * @param cluster the cluster
     * @param topic the topic every record is for
     * @param records the records
     * @param commit {@code true} to commit, {@code false} to abort
     * @throws IllegalArgumentException if a record is for another topic
     * @throws KafkaException if a record was not acknowledged or the transaction failed
     */
    public static void produceInTransaction(TestKafkaCluster cluster, String topic,
                                            Collection<ProducerRecord<byte[], byte[]>> records, boolean commit) {
        checkTopic(topic, records);
        Map<String, Object> config = cluster.clientConfig();
        String id = ClientIds.next(cluster.clusterId(), "transactional-producer");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, id);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            List<Future<RecordMetadata>> acknowledgements = send(producer, records);
            // abortTransaction() drops batches not sent yet: flush first, so aborted records reach the log
            producer.flush();
            awaitAcknowledgements(topic, acknowledgements);
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }

    private static void checkTopic(String topic, Collection<ProducerRecord<byte[], byte[]>> records) {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(records, "records must not be null");
        for (ProducerRecord<byte[], byte[]> record : records) {
            if (!topic.equals(record.topic())) {
                throw new IllegalArgumentException("a record for topic " + record.topic() + " was passed to produce(" + topic + ", ..)");
            }
        }
    }

    private static List<Future<RecordMetadata>> send(KafkaProducer<byte[], byte[]> producer,
                                                     Collection<ProducerRecord<byte[], byte[]>> records) {
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> record : records) {
            acknowledgements.add(producer.send(record));
        }
        producer.flush();
        return acknowledgements;
    }

    private static void awaitAcknowledgements(String topic, List<Future<RecordMetadata>> acknowledgements) {
        for (Future<RecordMetadata> acknowledgement : acknowledgements) {
            try {
                acknowledgement.get();
            } catch (ExecutionException e) {
                throw new KafkaException("could not produce to " + topic + ": " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }
}

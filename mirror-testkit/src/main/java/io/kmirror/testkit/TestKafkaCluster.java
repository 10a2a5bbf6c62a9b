package io.kmirror.testkit;

import io.kmirror.testkit.internal.AclGrants;
import io.kmirror.testkit.internal.RecordReader;
import io.kmirror.testkit.internal.RecordWriter;
import io.kmirror.testkit.internal.TopicCreation;
import io.kmirror.testkit.internal.TopicInspection;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.resource.ResourcePattern;

/**
 * A Kafka cluster that a test starts, uses and closes: {@link EmbeddedKafkaCluster} (in this JVM, the
 * default) or {@link ContainerKafkaCluster} (a broker image in Docker). {@link TestKafkaClusters}
 * starts the kind the build asks for.
 *
 * <p>An implementation provides the first six methods; every data helper (create a topic that is
 * writable at once, produce, produce in transactions, read everything, describe) is implemented here
 * once, on top of {@link #admin()} and {@link #clientConfig()}, so both kinds behave alike. A host
 * app may implement this interface for a cluster of its own and use the helpers and
 * {@link MirrorAssertions} with it.
 *
 * <p>Guarantees of the helpers: every wait is bounded by {@link #waitTimeout()} and a
 * {@link TimeoutException} says what was awaited; readers and admin calls never create a topic; the
 * helpers are thread-safe. After {@link #close()} every method but {@code close()} throws
 * {@link IllegalStateException}.
 */
public interface TestKafkaCluster extends AutoCloseable {

    /**
     * Returns a short label for messages: {@code "source"} or {@code "destination"} for the clusters of
     * {@link MirrorClustersExtension}, the cluster id unless a name was set.
     *
     * @return the label, never empty
     */
    String name();

    /**
     * Returns the {@code bootstrap.servers} string of all brokers; it stays valid for the life of the
     * cluster.
     *
     * @return the bootstrap servers, never empty
     * @throws IllegalStateException after {@link #close()}
     */
    String bootstrapServers();

    /**
     * Returns the cluster id, the one {@code Admin.describeCluster()} reports; different for every
     * cluster started.
     *
     * @return the cluster id
     * @throws IllegalStateException after {@link #close()}
     */
    String clusterId();

    /**
     * Returns the number of brokers, stopped ones included.
     *
     * @return at least 1
     */
    int brokerCount();

    /**
     * Returns an {@link Admin} client of this cluster, shared by all callers and closed by
     * {@link #close()}. Callers must not close it.
     *
     * @return the shared admin client
     * @throws IllegalStateException after {@link #close()}
     */
    Admin admin();

    /**
     * Returns the upper bound of every wait of the helpers: a topic becoming writable, a read to the end.
     *
     * @return a positive duration
     */
    Duration waitTimeout();

    /**
     * Stops the cluster and releases everything it holds (brokers or container, data, the shared
     * admin client). Idempotent.
     *
     * @throws KafkaException if the cluster did not stop cleanly
     */
    @Override
    void close();

    /**
     * Returns a new mutable map with the complete settings of a client of this cluster that may do
     * everything (e.g. a mirror's source or destination map): {@code bootstrap.servers} and, on a secured
     * cluster, the superuser's security settings ({@code security.protocol}, {@code sasl.mechanism},
     * {@code sasl.jaas.config}, key and trust stores). The helpers of this interface and {@link #admin()}
     * use these settings.
     *
     * @return a new map, owned by the caller
     * @throws IllegalStateException after {@link #close()}
     */
    default Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /**
     * Returns a new mutable map with the complete client settings of one user of a secured cluster
     * ({@link ClusterBuilder#saslPlain}, {@link ClusterBuilder#saslScram}, {@link ClusterBuilder#ssl}):
     * {@code bootstrap.servers}, {@code security.protocol}, {@code sasl.mechanism} and
     * {@code sasl.jaas.config} with the user's password, the trust store, and with mutual TLS the user's
     * own key store. The user may do what ACLs for {@link #principal(String)} allow. On a cluster
     * without security every client is the anonymous user: the same as {@link #clientConfig()}.
     *
     * @param user a user the cluster was given; with mutual TLS alone, any name (its certificate is made
     *        at the first call)
     * @return a new map, owned by the caller
     * @throws IllegalArgumentException if a SASL cluster has no such user
     * @throws IllegalStateException after {@link #close()}
     */
    default Map<String, Object> clientConfig(String user) {
        return clientConfig();
    }

    /**
     * Returns the principal the brokers see for a user, as ACLs name it: {@code User:alice} with SASL,
     * {@code User:CN=alice} with mutual TLS, {@code User:ANONYMOUS} on a cluster without security.
     *
     * @param user the user
     * @return the principal
     */
    default String principal(String user) {
        return "User:ANONYMOUS";
    }

    /**
     * Allows a user the operations on a resource (ALLOW ACLs from any host, created by the superuser) and
     * returns once the brokers apply them, e.g. {@code allow("mirror", new ResourcePattern(ResourceType.TOPIC,
     * "orders", PatternType.PREFIXED), AclOperation.READ, AclOperation.DESCRIBE)}. For a secured cluster
     * ({@link ClusterBuilder#saslPlain}, {@link ClusterBuilder#saslScram}, {@link ClusterBuilder#ssl}),
     * whose users may do only what ACLs allow.
     *
     * @param user the user, whose {@link #principal(String)} gets the ACLs
     * @param resource the resource: a topic, a prefix of topics, a group, a transactional id, the cluster
     * @param operations at least one operation
     * @throws IllegalArgumentException if no operation is given
     * @throws KafkaException if the cluster refuses the ACLs (e.g. it has no authorizer)
     * @throws TimeoutException if the brokers do not apply them within {@link #waitTimeout()}
     */
    default void allow(String user, ResourcePattern resource, AclOperation... operations) {
        AclGrants.allow(this, principal(user), resource, operations);
    }

    /**
     * Returns a topic of this cluster as a value, for {@link MirrorAssertions}, e.g.
     * {@code assertThat(destination.topic("orders")).containsExactlyRecordsOf(source.topic("orders"))}.
     * Nothing is checked or created.
     *
     * @param name the topic's name
     * @return the topic on this cluster
     */
    default ClusterTopic topic(String name) {
        return new ClusterTopic(this, name);
    }

    /**
     * Creates a topic with the cluster's default replication factor and returns once every partition
     * can be written: its leader answered a {@code ListOffsets} request ({@code createTopics} alone
     * returns earlier, and an idempotent producer writing then can lose its first batch, KAFKA-15591).
     *
     * @param name the topic
     * @param partitions number of partitions, at least 1
     * @throws TimeoutException if a partition has no answering leader within {@link #waitTimeout()}; the
     *         message names the partition
     * @throws KafkaException if the topic could not be created (e.g. it exists)
     */
    default void createTopic(String name, int partitions) {
        TopicCreation.create(this, name, partitions, Optional.empty(), Map.of());
    }

    /**
     * Creates a topic with topic configuration and returns once every partition can be written; see
     * {@link #createTopic(String, int)}.
     *
     * @param name the topic
     * @param partitions number of partitions, at least 1
     * @param configs topic configuration, e.g. {@code cleanup.policy=compact}
     * @throws TimeoutException if a partition has no answering leader within {@link #waitTimeout()}
     * @throws KafkaException if the topic could not be created
     */
    default void createTopic(String name, int partitions, Map<String, String> configs) {
        TopicCreation.create(this, name, partitions, Optional.empty(), configs);
    }

    /**
     * Creates a topic with a replication factor and returns once every partition can be written; see
     * {@link #createTopic(String, int)}.
     *
     * @param name the topic
     * @param partitions number of partitions, at least 1
     * @param replicationFactor between 1 and the number of running brokers
     * @throws TimeoutException if a partition has no answering leader within {@link #waitTimeout()}
     * @throws KafkaException if the topic could not be created
     */
    default void createTopic(String name, int partitions, int replicationFactor) {
        createTopic(name, partitions, replicationFactor, Map.of());
    }

    /**
     * Creates a topic with a replication factor and topic configuration and returns once every
     * partition can be written; see {@link #createTopic(String, int)}.
     *
     * @param name the topic
     * @param partitions number of partitions, at least 1
     * @param replicationFactor between 1 and the number of running brokers
     * @param configs topic configuration
     * @throws IllegalArgumentException if {@code replicationFactor} is below 1
     * @throws TimeoutException if a partition has no answering leader within {@link #waitTimeout()}
     * @throws KafkaException if the topic could not be created
     */
    default void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, was " + replicationFactor);
        }
        TopicCreation.create(this, name, partitions, Optional.of((short) replicationFactor), configs);
    }

    /**
     * Returns once partitions {@code 0..partitions-1} of a topic each have a leader that answers a
     * {@code ListOffsets} request, so that a producer may write at once. {@link #createTopic} calls it;
     * call it yourself after adding partitions with {@code admin().createPartitions(..)}.
     *
     * @param topic the topic
     * @param partitions the number of partitions the topic has
     * @throws TimeoutException naming the partitions still without an answering leader after
     *         {@link #waitTimeout()}
     */
    default void awaitTopicWritable(String topic, int partitions) {
        TopicCreation.awaitLeadersAnswer(this, topic, partitions);
    }

    /**
     * Sends records to a topic with an idempotent producer ({@code acks=all}) and returns once every
     * record is acknowledged. Records of one partition are written in the order given. A topic that
     * does not exist is auto-created by the broker (one partition) if the broker allows it; prefer
     * {@link #createTopic(String, int)} first.
     *
     * @param topic the topic every record is for
     * @param records records whose {@code topic()} is {@code topic}
     * @throws IllegalArgumentException if a record is for another topic
     * @throws KafkaException if a record was not acknowledged; the cause is the producer's error
     */
    default void produce(String topic, Collection<ProducerRecord<byte[], byte[]>> records) {
        RecordWriter.produce(this, topic, records);
    }

    /**
     * Produces {@link TestRecords#keyed(String, int, int, long) TestRecords.keyed(topic, count,
     * distinctKeys, seed)} with {@link #produce(String, Collection)} and returns them in the order
     * sent: the same seed gives the same records.
     *
     * @param topic the topic
     * @param count number of records, at least 0
     * @param distinctKeys number of different keys, at least 1
     * @param seed seed of the keys and values
     * @return the records sent, unmodifiable, in send order
     * @throws KafkaException if a record was not acknowledged
     */
    default List<ProducerRecord<byte[], byte[]>> produceKeyed(String topic, int count, int distinctKeys, long seed) {
        List<ProducerRecord<byte[], byte[]>> records = TestRecords.keyed(topic, count, distinctKeys, seed);
        produce(topic, records);
        return records;
    }

    /**
     * Sends records inside one transaction of a new transactional producer and commits it: a
     * {@code read_committed} reader sees every record once this returns. The transaction's commit
     * markers take one offset in each partition written, so end offsets exceed the record count.
     *
     * @param topic the topic every record is for
     * @param records the records
     * @throws IllegalArgumentException if a record is for another topic
     * @throws KafkaException if a record was not acknowledged or the commit failed
     */
    default void produceInTransaction(String topic, Collection<ProducerRecord<byte[], byte[]>> records) {
        RecordWriter.produceInTransaction(this, topic, records, true);
    }

    /**
     * Sends records inside one transaction and aborts it after every record is acknowledged: the
     * records are in the log ({@code readAll(topic, IsolationLevel.READ_UNCOMMITTED)} returns them)
     * but a {@code read_committed} reader, such as a mirror, skips them.
     *
     * @param topic the topic every record is for
     * @param records the records
     * @throws IllegalArgumentException if a record is for another topic
     * @throws KafkaException if a record was not acknowledged or the abort failed
     */
    default void produceAbortedTransaction(String topic, Collection<ProducerRecord<byte[], byte[]>> records) {
        RecordWriter.produceInTransaction(this, topic, records, false);
    }

    /**
     * Same as {@link #readAll(String, IsolationLevel) readAll(topic, READ_COMMITTED)}: what a consumer
     * of committed data sees.
     *
     * @param topic an existing topic
     * @return the records, by partition then offset, unmodifiable
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     * @throws TimeoutException if a partition was not read to its end within {@link #waitTimeout()}
     */
    default List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return readAll(topic, IsolationLevel.READ_COMMITTED);
    }

    /**
     * Same as {@link #readAll(String, IsolationLevel)} with {@code READ_COMMITTED} if
     * {@code readCommitted}, else {@code READ_UNCOMMITTED}.
     *
     * @param topic an existing topic
     * @param readCommitted {@code true} for {@code isolation.level=read_committed}
     * @return the records, by partition then offset, unmodifiable
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     * @throws TimeoutException if a partition was not read to its end within {@link #waitTimeout()}
     */
    default List<ConsumerRecord<byte[], byte[]>> readAll(String topic, boolean readCommitted) {
        return readAll(topic, readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED);
    }

    /**
     * Reads every record of every partition of a topic, from the beginning of each partition to its end
     * offset as of this call. Reads with {@code assign()} (no group, nothing committed) and never creates
     * the topic.
     *
     * <p>With {@code READ_COMMITTED}, the end of a partition is its last stable offset, records of
     * aborted transactions are skipped and transaction markers, which take offsets but are no records,
     * do not count. With {@code READ_UNCOMMITTED}, the end is the high watermark and aborted records are
     * returned too.
     *
     * @param topic an existing topic
     * @param isolation the isolation level of the reader
     * @return the records, ordered by partition then offset, unmodifiable
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     * @throws TimeoutException if a partition was not read to its end within {@link #waitTimeout()}; the
     *         message names each such partition, its position and its end offset
     */
    default List<ConsumerRecord<byte[], byte[]>> readAll(String topic, IsolationLevel isolation) {
        return RecordReader.readAll(this, topic, isolation);
    }

    /**
     * Returns the end offset (high watermark) of every partition of a topic. It counts transaction
     * markers and records of open or aborted transactions, so it can exceed the number of records a
     * {@code read_committed} reader sees.
     *
     * @param topic an existing topic
     * @return end offset by partition, ordered by partition, unmodifiable
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     */
    default Map<TopicPartition, Long> endOffsets(String topic) {
        return TopicInspection.endOffsets(this, topic);
    }

    /**
     * Returns the number of partitions of a topic.
     *
     * @param topic an existing topic
     * @return the partition count
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     */
    default int partitionCount(String topic) {
        return TopicInspection.partitions(this, topic).size();
    }

    /**
     * Returns the names of the topics of the cluster, without internal topics such as
     * {@code __consumer_offsets}.
     *
     * @return topic names, unmodifiable
     */
    default Set<String> topics() {
        return TopicInspection.topics(this);
    }

    /**
     * Returns the whole configuration of a topic as the cluster reports it, defaults included.
     *
     * @param topic an existing topic
     * @return value by key, sorted by key, unmodifiable
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     */
    default Map<String, String> topicConfig(String topic) {
        return TopicInspection.config(this, topic);
    }

    /**
     * Returns the offsets a consumer group has committed on this cluster, e.g. to check that a mirror's
     * source group covers every record: {@code assertThat(source.committedOffsets("mirrorgroup"))
     * .isEqualTo(source.endOffsets("orders"))}. Partitions the group committed nothing for are left out.
     *
     * @param group the consumer group id
     * @return committed offset by partition, ordered by topic then partition, unmodifiable; empty if the
     *         group committed nothing (or does not exist)
     * @throws TimeoutException if the cluster did not answer within {@link #waitTimeout()}
     */
    default Map<TopicPartition, Long> committedOffsets(String group) {
        return TopicInspection.committedOffsets(this, group);
    }
}

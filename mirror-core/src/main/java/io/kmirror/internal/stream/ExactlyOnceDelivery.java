package io.kmirror.internal.stream;

import io.kmirror.Partitioning;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.KeyPreservingProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once: each assigned source partition has its own transactional producer
 * ({@link PartitionTransaction}); its records and the source offset they reach are committed to the
 * destination in one transaction. On assignment the new owner first fences the partition's previous
 * owner ({@code initTransactions}), then resumes from the offset the destination committed, so a
 * record is visible to {@code read_committed} readers exactly once whatever crashed or moved.
 *
 * <p>Where the offsets live: in the destination cluster's group {@link #offsetsGroup(String)}, as the
 * committed offset of the destination partition with the source partition's number (the value is a
 * source offset). Group offsets, not a topic of kmirror's own, because the broker commits them
 * atomically with the records ({@code sendOffsetsToTransaction}) and reads them back consistently
 * ({@code requireStable}) with no extra topic to create, size and compact; the destination partition
 * as the key because Kafka 4 brokers accept committed offsets only for partitions that exist on their
 * own cluster. So a destination topic needs at least its source's partitions: kmirror creates and
 * grows them so; one made smaller by hand stops the mirror with a clear error.
 *
 * <p>Cost: one producer (one network thread, its own buffers) per assigned source partition, opened on
 * assignment and closed on revocation; a transaction commit per partition every commit interval.
 * The source group's offsets are committed too, after each destination commit, for lag tools only:
 * the mirror never resumes from them.
 */
public final class ExactlyOnceDelivery implements Delivery {

    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceDelivery.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final int stream;
    private final Consumer<byte[], byte[]> consumer;
    private final Outbound outbound;
    private final MirrorCounters counters;
    private final Function<String, Producer<byte[], byte[]>> producers;
    private final Partitioning partitioning;
    private final Admin destinationAdmin;
    private final String groupId;
    private final ConsumerGroupMetadata group;
    private final boolean startAtLatest;
    private final long commitIntervalNanos;
    private final int maxTransactionRecords;
    private final Map<TopicPartition, PartitionTransaction> transactions = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private long lastCommitNanos = System.nanoTime();
    private ExecutorService workers;
    /** A send stopped half-way through a poll: positions are past unsent records, so nothing may be committed. */
    private boolean interrupted;

    /**
     * @param producers            makes a transactional producer for a {@code transactional.id}
     * @param destinationAdmin     reads the group's committed offsets on the destination
     * @param startAtLatest        where a partition with no committed offset starts (auto.offset.reset=latest)
     */
    public ExactlyOnceDelivery(int stream, Consumer<byte[], byte[]> consumer, Outbound outbound, MirrorCounters counters,
            Function<String, Producer<byte[], byte[]>> producers, Partitioning partitioning, Admin destinationAdmin,
            String groupId, boolean startAtLatest, Duration commitInterval, int maxTransactionRecords) {
        this.stream = stream;
        this.consumer = consumer;
        this.outbound = outbound;
        this.counters = counters;
        this.producers = producers;
        this.partitioning = partitioning;
        this.destinationAdmin = destinationAdmin;
        this.groupId = groupId;
        this.group = new ConsumerGroupMetadata(offsetsGroup(groupId));
        this.startAtLatest = startAtLatest;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.maxTransactionRecords = maxTransactionRecords;
    }

    /** The destination cluster's group that holds mirror group {@code groupId}'s exactly-once offsets. */
    public static String offsetsGroup(String groupId) {
        return "kmirror-offsets-" + groupId;
    }

    /** The transactional id of a source partition's producer for mirror group {@code groupId}. */
    public static String transactionalId(String groupId, TopicPartition tp) {
        return "kmirror-" + groupId + "-" + tp.topic() + "-" + tp.partition();
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) throws InterruptedException {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, TopicPartition> keys = new HashMap<>();
        for (TopicPartition tp : partitions) {
            keys.put(tp, outbound.offsetKey(tp));
        }
        openAll(keys); // fences the previous owners before their offsets are read
        Map<TopicPartition, OffsetAndMetadata> offsets = destinationOffsets(keys.values());
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = offsets.get(keys.get(tp));
            if (offset != null) {
                consumer.seek(tp, offset.offset());
                committed.put(tp, offset.offset());
            } else {
                fresh.add(tp);
            }
        }
        // an empty collection would mean "every assigned partition" to seekToBeginning / seekToEnd
        if (!fresh.isEmpty() && startAtLatest) {
            consumer.seekToEnd(fresh);
        } else if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
        }
        log.info("Stream {}: resuming {} from the offsets committed on the destination{}", stream, partitions,
                fresh.isEmpty() ? "" : "; from the " + (startAtLatest ? "end" : "beginning") + ": " + fresh);
        consumer.resume(partitions);
        for (TopicPartition tp : partitions) {
            consumer.position(tp);
        }
    }

    /**
     * Opens a transactional producer for each partition, in parallel: each {@code initTransactions} is
     * a few round trips to the transaction coordinator (and waits for a fenced owner's transaction to
     * be aborted), so opening them one after another delayed the first record by one such wait per
     * partition.
     */
    private void openAll(Map<TopicPartition, TopicPartition> offsetKeys) {
        Map<TopicPartition, CompletableFuture<PartitionTransaction>> opening = new LinkedHashMap<>();
        offsetKeys.forEach((tp, key) -> opening.put(tp, offsetKeys.size() == 1
                ? CompletableFuture.supplyAsync(() -> open(tp, key), Runnable::run)
                : CompletableFuture.supplyAsync(() -> open(tp, key), workers())));
        RuntimeException failure = null;
        for (Map.Entry<TopicPartition, CompletableFuture<PartitionTransaction>> open : opening.entrySet()) {
            try {
                transactions.put(open.getKey(), open.getValue().join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new KafkaException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private PartitionTransaction open(TopicPartition tp, TopicPartition offsetKey) {
        String id = transactionalId(groupId, tp);
        Producer<byte[], byte[]> producer = producers.apply(id);
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new KafkaException("the destination cannot run transactions: initTransactions for transactional.id " + id
                    + " failed (" + e + "); EXACTLY_ONCE needs brokers that support transactions and a writable"
                    + " __transaction_state topic (transaction.state.log.replication.factor and min.isr no larger than"
                    + " the number of brokers)", e);
        }
        return new PartitionTransaction(tp, offsetKey, id, producer, new KeyPreservingProducer(producer, partitioning), counters);
    }

    private Map<TopicPartition, OffsetAndMetadata> destinationOffsets(Collection<TopicPartition> partitions)
            throws InterruptedException {
        try {
            String offsetsGroup = offsetsGroup(groupId);
            Map<TopicPartition, OffsetAndMetadata> offsets = destinationAdmin.listConsumerGroupOffsets(
                    Map.of(offsetsGroup, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)),
                    new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata(offsetsGroup).get(60, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    present.put(tp, om);
                }
            });
            return present;
        } catch (ExecutionException e) {
            throw new KafkaException("cannot read group " + offsetsGroup(groupId) + "'s committed offsets on the destination: "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("reading group " + offsetsGroup(groupId) + "'s committed offsets on the destination timed out", e);
        }
    }

    @Override
    public void send(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        boolean done = false;
        try {
            sendAll(records);
            done = true;
        } finally {
            interrupted |= !done;
        }
    }

    private void sendAll(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        for (TopicPartition tp : records.partitions()) {
            PartitionTransaction transaction = transactions.get(tp);
            if (transaction == null) {
                continue; // fenced and paused; its fetched records belong to the new owner
            }
            DestinationRoute route = outbound.routeFor(tp);
            try {
                for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                    ConsumerRecord<byte[], byte[]> transformed = outbound.transform(record);
                    if (transformed == null) {
                        counters.dropped();
                    } else {
                        transaction.send(transformed, route);
                    }
                }
            } catch (KafkaException e) {
                if (!PartitionTransaction.isFencing(e)) {
                    throw e;
                }
                fenced(tp, e);
                continue;
            }
            if (transaction.records() >= maxTransactionRecords) {
                commitAll(List.of(tp));
            }
        }
    }

    @Override
    public void throwIfFailed() {
        for (Map.Entry<TopicPartition, PartitionTransaction> entry : new ArrayList<>(transactions.entrySet())) {
            Exception failure = entry.getValue().failure();
            if (failure == null) {
                continue;
            }
            if (PartitionTransaction.isFencing(failure)) {
                fenced(entry.getKey(), failure);
            } else {
                throw new KafkaException("a record of source partition " + entry.getKey() + " could not be written to the"
                        + " destination: " + failure + "; its transaction is aborted, nothing after offset "
                        + committed.getOrDefault(entry.getKey(), 0L) + " is committed", failure);
            }
        }
    }

    @Override
    public OptionalLong oldestUnacknowledgedTimestamp(TopicPartition partition) {
        PartitionTransaction transaction = transactions.get(partition);
        return transaction == null ? OptionalLong.empty() : transaction.oldestUncommittedTimestamp();
    }

    @Override
    public void maybeCommit(boolean urgent) {
        long now = System.nanoTime();
        if (!urgent && now - lastCommitNanos < commitIntervalNanos) {
            return;
        }
        lastCommitNanos = now;
        commitAll(transactions.keySet());
    }

    /**
     * Commits the transactions of {@code partitions} whose position moved, each up to the consumer's
     * position. The partitions' producers commit in parallel (each commit is a few round trips to the
     * transaction coordinator); the outcome of each is handled here, on the stream thread.
     */
    private void commitAll(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> due = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionTransaction transaction = transactions.get(tp);
            long position = transaction == null ? -1 : consumer.position(tp);
            if (transaction != null && (transaction.isOpen() || position > committed.getOrDefault(tp, -1L))) {
                due.put(tp, position);
            }
        }
        Map<TopicPartition, CompletableFuture<Void>> commits = new LinkedHashMap<>();
        long started = System.nanoTime();
        due.forEach((tp, position) -> {
            PartitionTransaction transaction = transactions.get(tp);
            commits.put(tp, due.size() == 1
                    ? CompletableFuture.runAsync(() -> transaction.commit(position, group), Runnable::run)
                    : CompletableFuture.runAsync(() -> transaction.commit(position, group), workers()));
        });
        Map<TopicPartition, OffsetAndMetadata> sourceOffsets = new HashMap<>();
        KafkaException failure = null;
        for (Map.Entry<TopicPartition, CompletableFuture<Void>> commit : commits.entrySet()) {
            TopicPartition tp = commit.getKey();
            try {
                commit.getValue().join();
                committed.put(tp, due.get(tp));
                counters.committed(tp, due.get(tp));
                sourceOffsets.put(tp, new OffsetAndMetadata(due.get(tp)));
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (PartitionTransaction.isFencing(cause)) {
                    fenced(tp, (Exception) cause);
                } else {
                    transactions.get(tp).abortQuietly();
                    if (failure == null) {
                        failure = new KafkaException("committing the transaction of source partition " + tp + " failed: "
                                + cause + "; it is aborted, nothing after offset " + committed.getOrDefault(tp, 0L)
                                + " is committed", cause);
                    }
                }
            }
        }
        if (!sourceOffsets.isEmpty()) {
            counters.commitTook((System.nanoTime() - started) / 1_000_000);
            consumer.commitAsync(sourceOffsets, (offsets, e) -> {
                if (e != null) {
                    log.debug("Stream {}: informational commit to the source group failed: {}", stream, e.toString());
                }
            });
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The threads that open and commit the partitions' transactions in parallel. */
    private ExecutorService workers() {
        if (workers == null) {
            AtomicInteger count = new AtomicInteger();
            workers = Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "kmirror-" + groupId + "-stream-" + stream + "-txn-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return workers;
    }

    /** Another instance owns {@code tp} now: drop its producer and stop fetching it until the group says otherwise. */
    private void fenced(TopicPartition tp, Exception e) {
        PartitionTransaction transaction = transactions.remove(tp);
        if (transaction != null) {
            transaction.close(Duration.ZERO);
        }
        committed.remove(tp);
        consumer.pause(List.of(tp));
        log.warn("Stream {}: source partition {} was taken over by another mirror instance ({}); its uncommitted records"
                + " are discarded and the new owner mirrors them", stream, tp, e.toString());
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        commitAll(partitions);
        release(partitions);
    }

    @Override
    public void lost(Collection<TopicPartition> partitions) {
        release(partitions);
    }

    private void release(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionTransaction transaction = transactions.remove(tp);
            if (transaction != null) {
                transaction.abortQuietly();
                transaction.close(CLOSE_TIMEOUT);
            }
            committed.remove(tp);
        }
    }

    @Override
    public void close() {
        boolean failed = interrupted || transactions.values().stream()
                .anyMatch(t -> t.failure() != null && !PartitionTransaction.isFencing(t.failure()));
        try {
            if (!failed) {
                commitAll(transactions.keySet());
            }
        } finally {
            release(new ArrayList<>(transactions.keySet()));
            if (workers != null) {
                workers.shutdownNow();
            }
        }
    }
}

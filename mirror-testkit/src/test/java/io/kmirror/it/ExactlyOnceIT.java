package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.assertCaughtUp;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.byPartition;
import static io.kmirror.it.MirrorTesting.bytes;
import static io.kmirror.it.MirrorTesting.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorState;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.Topics;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EXACTLY_ONCE: a read_committed reader of the destination sees every committed source record exactly
 * once, in source order per partition, through kills, rebalances and a paused zombie.
 */
@MirrorClusters
class ExactlyOnceIT {

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    ExactlyOnceIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void sourceTransactions_onlyCommittedRecordsArrive_inBothGuarantees() throws Exception {
        String topic = Topics.unique("txn");
        source.createTopic(topic, 4);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", source.bootstrapServers(),
                "transactional.id", Topics.unique("writer")), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            for (int txn = 0; txn < 6; txn++) {
                producer.beginTransaction();
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>(topic, bytes("key-" + i), bytes((txn % 2 == 0 ? "committed-" : "aborted-") + txn + "-" + i)));
                }
                producer.flush();
                if (txn % 2 == 0) {
                    producer.commitTransaction();
                } else {
                    producer.abortTransaction();
                }
            }
        }
        assertThat(source.readAll(topic, false)).as("aborted records are in the source log").hasSize(600);
        assertThat(source.readAll(topic)).hasSize(300);

        for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
            String prefix = guarantee.name().toLowerCase() + ".";
            try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                    .guarantee(guarantee).topicNaming(TopicNaming.prefix(prefix)).build()) {
                mirror.start();
                assertCaughtUp(mirror);
            }
            assertSameRecordsPerPartition(topic, prefix + topic);
            assertThat(destination.readAll(prefix + topic, false)).extracting(r -> MirrorTesting.View.of(r).value())
                    .as(guarantee + ": no aborted source record was ever sent").noneMatch(v -> v.startsWith("aborted"));
        }
    }

    @Test
    void caughtUp_meansEveryMirroredRecordIsVisibleToReadCommittedReaders() throws Exception {
        String topic = Topics.unique("visible");
        source.createTopic(topic, 1);
        // another writer's open transaction holds the destination partition's last stable offset back: what the
        // mirror commits after it stays invisible to read_committed readers until that transaction ends
        caughtUpOnlyOnceTheTransactionEnds(destination, topic, "caught up while 100 mirrored records are invisible to"
                + " read_committed readers");
    }

    @Test
    void caughtUp_waitsForTheSourceRecordsBehindAnOpenSourceTransaction() throws Exception {
        String topic = Topics.unique("behindopen");
        source.createTopic(topic, 1);
        // a source writer's open transaction (another mirror's, two-way) holds the source's last stable offset
        // back: the 100 records written after it are at the source, but a read_committed mirror reaches them
        // only once that transaction ends
        caughtUpOnlyOnceTheTransactionEnds(source, topic, "caught up while 100 source records wait behind an open"
                + " transaction");
    }

    /**
     * Mirrors 100 records of {@code topic}; then, while another writer holds a transaction open on its partition 0
     * on {@code writerSide}, 100 more are written to the source: the mirror has not caught up (and the destination's
     * read_committed readers see the first 100) until that transaction ends, and then all 201 are there.
     */
    private void caughtUpOnlyOnceTheTransactionEnds(TestKafkaCluster writerSide, String topic, String notCaughtUp)
            throws Exception {
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE).build();
             KafkaProducer<byte[], byte[]> other = new KafkaProducer<>(Map.of("bootstrap.servers", writerSide.bootstrapServers(),
                     "transactional.id", Topics.unique("other-writer")), new ByteArraySerializer(), new ByteArraySerializer())) {
            mirror.start();
            source.produceKeyed(topic, 100, 10, 1);
            assertCaughtUp(mirror);
            other.initTransactions();
            other.beginTransaction();
            other.send(new ProducerRecord<>(topic, 0, bytes("k"), bytes("another writer's"))).get(30, TimeUnit.SECONDS);
            source.produceKeyed(topic, 100, 10, 2);

            assertThat(mirror.awaitCaughtUp(java.time.Duration.ofSeconds(3))).as(notCaughtUp).isFalse();
            assertThat(destination.readAll(topic)).hasSize(100);
            other.commitTransaction();
            assertCaughtUp(mirror);
            assertThat(destination.readAll(topic)).hasSize(201);
        }
    }

    /** Without transaction slots (0: a producer per partition) and with 3 slots over 8 partitions. */
    @ParameterizedTest(name = "transactionSlots {0}")
    @ValueSource(ints = {0, 3})
    void killedThreeTimesWithSigkill_destinationHoldsEveryRecordExactlyOnce(int slots,
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path logs) throws Exception {
        String topic = Topics.unique("eos");
        String group = Topics.unique("eosgroup");
        int total = 200_000;
        source.createTopic(topic, 8);
        String[] args = {source.bootstrapServers(), destination.bootstrapServers(), topic, group, "EXACTLY_ONCE", "0", "" + slots};
        Traffic traffic = new Traffic(source, topic, total, 5_000);
        traffic.start();

        Random random = new Random(20261129);
        long[] thresholds = new long[3];
        for (int kill = 1; kill <= 3; kill++) {
            thresholds[kill - 1] = (long) (total * (kill * 0.22 + random.nextDouble() * 0.1));
        }
        mirrorKilledAt(logs, args, traffic, thresholds);
        assertSameRecordsPerPartition(topic, topic);
    }

    /**
     * Runs the mirror in a child JVM, kills it with SIGKILL each time the destination is past the next of
     * {@code thresholds} offsets and starts it again, then waits for all of {@code traffic} on the destination.
     */
    private void mirrorKilledAt(Path logs, String[] args, Traffic traffic, long... thresholds) throws Exception {
        String topic = args[2];
        Process mirror = MirrorProcess.start(logs.resolve("mirror-0.log"), args);
        try {
            for (int kill = 1; kill <= thresholds.length; kill++) {
                long threshold = thresholds[kill - 1];
                await("destination past " + threshold + " offsets before kill " + kill, () -> destinationEnd(topic) >= threshold);
                MirrorProcess.kill(mirror);
                mirror = MirrorProcess.start(logs.resolve("mirror-" + kill + ".log"), args);
            }
            traffic.finish();
            awaitRecords(topic, traffic.total());
        } finally {
            MirrorProcess.kill(mirror);
        }
    }

    @Test
    void morePartitionsThanOpenProducers_takeTurns_everyRecordOnceInOrder() throws Exception {
        String topic = Topics.unique("turns");
        String group = Topics.unique("turnsgroup");
        int total = 60_000;
        source.createTopic(topic, 12);
        Traffic traffic = new Traffic(source, topic, total, 2_000, 10_000);
        Set<String> producersSeen = ConcurrentHashMap.newKeySet();
        AtomicInteger mostOpen = new AtomicInteger();
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group)
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE).streams(2).maxOpenTransactions(3).build()) {
            mirror.start();
            traffic.start();
            String threadPrefix = "kafka-producer-network-thread | kmirror-" + group + "-producer-kmirror-" + group + "-";
            await("every record visible to read_committed readers", () -> {
                Set<String> openPartitions = new HashSet<>();
                Thread.getAllStackTraces().keySet().forEach(thread -> {
                    if (thread.getName().startsWith(threadPrefix) && thread.isAlive()) {
                        producersSeen.add(thread.getName());
                        openPartitions.add(thread.getName().replaceFirst("~2$", "")); // a partition's second producer
                    }
                });
                mostOpen.accumulateAndGet(openPartitions.size(), Math::max);
                return destination.topics().contains(topic) && destination.readAll(topic).size() >= total;
            });
            traffic.finish();
            assertCaughtUp(mirror);
        }
        assertSameRecordsPerPartition(topic, topic);
        assertThat(mostOpen.get()).as("partitions with their transactional producers open at once").isBetween(1, 3);
        assertThat(producersSeen).as("every partition had its turn with its own two producers").hasSize(24);
    }

    @Test
    void transactionSlots_aFewProducersWriteEveryPartition_everyRecordOnceInOrder() throws Exception {
        String orders = Topics.unique("slots");
        String payments = Topics.unique("slots");
        String group = Topics.unique("slotsgroup");
        int total = 40_000;
        source.createTopic(orders, 24);
        source.createTopic(payments, 6);
        Traffic ordersTraffic = new Traffic(source, orders, total, 4_000, 20_000);
        Traffic paymentsTraffic = new Traffic(source, payments, total / 4, 1_000, 20_000);
        Set<String> producersSeen = ConcurrentHashMap.newKeySet();
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(orders + "|" + payments), group)
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE).streams(2).transactionSlots(4).build()) {
            mirror.start();
            ordersTraffic.start();
            paymentsTraffic.start();
            String threadPrefix = "kafka-producer-network-thread | kmirror-" + group + "-producer-kmirror-" + group + "-";
            await("every record visible to read_committed readers", () -> {
                Thread.getAllStackTraces().keySet().forEach(thread -> {
                    if (thread.getName().startsWith(threadPrefix) && thread.isAlive()) {
                        producersSeen.add(thread.getName().substring(threadPrefix.length()));
                    }
                });
                return destination.topics().containsAll(List.of(orders, payments))
                        && destination.readAll(orders).size() >= total && destination.readAll(payments).size() >= total / 4;
            });
            ordersTraffic.finish();
            paymentsTraffic.finish();
            assertCaughtUp(mirror);
        }
        assertSameRecordsPerPartition(orders, orders);
        assertSameRecordsPerPartition(payments, payments);
        assertThat(producersSeen).as("transactional producers: two per slot, for 30 partitions").isNotEmpty()
                .allSatisfy(id -> assertThat(id).matches(".*~slot-[0-3]-of-4(~2)?")).hasSizeLessThanOrEqualTo(8);
    }

    @Test
    void killedWhilePartitionsTakeTurns_destinationHoldsEveryRecordExactlyOnce(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path logs)
            throws Exception {
        String topic = Topics.unique("turnskill");
        String group = Topics.unique("eosgroup");
        int total = 60_000;
        source.createTopic(topic, 12);
        String[] args = {source.bootstrapServers(), destination.bootstrapServers(), topic, group, "EXACTLY_ONCE", "3"};
        Traffic traffic = new Traffic(source, topic, total, 2_000);
        traffic.start();

        mirrorKilledAt(logs, args, traffic, total / 3, total * 2 / 3);
        assertSameRecordsPerPartition(topic, topic);
        assertThat(read(logs.resolve("mirror-2.log"))).as("the partitions took turns").contains("wait for a transactional producer")
                .contains("transactionSlots(n) (command line --transaction.slots N");
    }

    /** With slots: 6 slots over 8 partitions and 4 streams (two processes), so slots move between processes. */
    @ParameterizedTest(name = "transactionSlots {0}")
    @ValueSource(ints = {0, 6})
    void twoInstances_oneKilledAndOneAddedDuringTheCopy_exactlyOnce(int slots, @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path logs)
            throws Exception {
        String topic = Topics.unique("eos2");
        String group = Topics.unique("eosgroup");
        int total = 100_000;
        source.createTopic(topic, 8);
        String[] args = {source.bootstrapServers(), destination.bootstrapServers(), topic, group, "EXACTLY_ONCE", "0", "" + slots};
        Traffic traffic = new Traffic(source, topic, total, 5_000);

        Process first = MirrorProcess.start(logs.resolve("first.log"), args);
        Process second = MirrorProcess.start(logs.resolve("second.log"), args);
        Process third = null;
        try {
            traffic.start();
            await("a third of the records mirrored", () -> destinationEnd(topic) >= total / 3);
            MirrorProcess.kill(first);
            third = MirrorProcess.start(logs.resolve("third.log"), args);
            traffic.finish();
            awaitRecords(topic, total);
        } finally {
            MirrorProcess.kill(second);
            if (third != null) {
                MirrorProcess.kill(third);
            }
        }
        assertSameRecordsPerPartition(topic, topic);
    }

    /** With slots the survivor's stream that takes a zombie's slot fences the zombie's producer of that slot. */
    @ParameterizedTest(name = "transactionSlots {0}")
    @ValueSource(ints = {0, 6})
    void zombiePausedPastARebalance_itsLateWritesNeverBecomeVisible(int slots, @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path logs)
            throws Exception {
        String topic = Topics.unique("zombie");
        String group = Topics.unique("eosgroup");
        int total = 60_000;
        source.createTopic(topic, 8);
        String[] args = {source.bootstrapServers(), destination.bootstrapServers(), topic, group, "EXACTLY_ONCE", "0", "" + slots};
        Path zombieLog = logs.resolve("zombie.log");
        Process zombie = MirrorProcess.start(zombieLog, args);
        Process survivor = MirrorProcess.start(logs.resolve("survivor.log"), args);
        Traffic traffic = new Traffic(source, topic, total, 2_000);
        try {
            await("both mirrors RUNNING", () -> read(zombieLog).contains("RUNNING") && read(logs.resolve("survivor.log")).contains("RUNNING"));
            await("both mirrors' 4 streams in the group", () -> groupMembers(group) == 4);
            traffic.start();
            await("some records mirrored", () -> destinationEnd(topic) >= 5_000);

            MirrorProcess.signal(zombie, "STOP");
            await("the paused mirror's streams leave the group", () -> groupMembers(group) == 2);
            int producedWhileAway = traffic.sent();
            await("the survivor mirrors the zombie's partitions too",
                    () -> destination.readAll(topic).size() >= producedWhileAway);
            MirrorProcess.signal(zombie, "CONT");
            await("the zombie finds out it lost its partitions", () -> read(zombieLog).contains("lost")
                    || read(zombieLog).contains("taken over"));

            traffic.finish();
            awaitRecords(topic, total);
        } finally {
            MirrorProcess.signal(zombie, "CONT");
            MirrorProcess.kill(zombie);
            MirrorProcess.kill(survivor);
        }
        assertSameRecordsPerPartition(topic, topic);
        assertThat(read(zombieLog)).as("the zombie found out it lost its partitions").containsAnyOf("lost", "taken over");
    }

    @Test
    void aTransactionThatReachesMaxTransactionRecords_isCommittedWithoutWaitingForTheCommitInterval() throws Exception {
        String topic = Topics.unique("fulltxn");
        source.createTopic(topic, 2);
        source.produceKeyed(topic, 1_000, 20, 1);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .transactionCommitInterval(java.time.Duration.ofMinutes(10)) // never reached here: only full transactions commit
                .maxTransactionRecords(1).build()) {
            mirror.start();
            MirrorTesting.awaitRunning(mirror); // the destination topic exists
            await("the 1,000 records written before the start visible to read_committed readers of the destination",
                    () -> destination.readAll(topic).size() == 1_000);
            source.produceKeyed(topic, 1_000, 20, 2);
            await("the 1,000 records written while it runs visible too", () -> destination.readAll(topic).size() == 2_000);
            assertSameRecordsPerPartition(topic, topic);
        }
        long markers = destination.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum() - 2_000;
        assertThat(markers).as("one transaction marker per commit and partition: several commits, none waited 10 minutes")
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void whileCatchingUp_aTransactionStaysOpenUntilFullOrForASecond_ratherThanCommittingAtEveryInterval() throws Exception {
        String topic = backlog("backlog", 1, 20_000, 100);
        long bytes = keyAndValueBytes(topic);
        long started;
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .transactionCommitInterval(java.time.Duration.ofMillis(10))
                .maxTransactionRecords(2_000) // "behind" while 2,000 records wait: all but the last 10%
                .maxBytesPerSecond(bytes / 6) // a catch-up of about 6 s
                .build()) {
            mirror.start();
            MirrorTesting.awaitRunning(mirror); // the destination topic exists
            started = System.nanoTime();
            awaitRecords(topic, 20_000);
            assertSameRecordsPerPartition(topic, topic);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // a marker takes an offset, one per commit here. Committing at every interval (at each fetch the throttle
        // lets through) made 34 in 6 s; a transaction kept open while enough records wait to fill it commits when
        // full (every 0.6 s here) or after a second, and at each fetch once fewer wait (12 in 6 s)
        long markers = destinationEnd(topic) - 20_000;
        assertThat(markers).as("commits in a catch-up of %.1f s", seconds).isBetween(1L, (long) (3 * seconds));
    }

    @Test
    void whileCatchingUpOverManyPartitions_aTransactionHoldsRecordsForEachPartitionOfItsSlot() throws Exception {
        int partitions = 40;
        int records = 40_000;
        String topic = backlog("wide", partitions, records, 1_000);
        String group = Topics.unique("group");
        long bytes = keyAndValueBytes(topic);
        double commits;
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group)
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .transactionSlots(1) // one transaction over all 40 partitions
                .transactionCommitInterval(java.time.Duration.ofMillis(10))
                .maxTransactionRecords(500)
                .maxBytesPerSecond(bytes / 6) // a catch-up of about 6 s
                .build()) {
            mirror.start();
            MirrorTesting.awaitRunning(mirror); // the destination topic exists
            awaitRecords(topic, records);
            assertSameRecordsPerPartition(topic, topic);
            commits = (Double) ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new ObjectName("kmirror:type=mirror-metrics,group=" + group), "commits-total");
        }
        // full at maxTransactionRecords (500 records, about 12 a partition) the catch-up took 44-46 commits; full at 64
        // records a partition of the slot (2,560) 14
        assertThat(commits).as("transactions committed").isBetween(1.0, records / 1_600.0);
    }

    @Test
    void aTopicPausedWithABacklog_doesNotHoldBackTheTransactionsOfATopicThatFlows() throws Exception {
        String paused = backlog("paused", 1, 5_000, 100);
        String flowing = Topics.unique("flowing");
        source.createTopic(flowing, 1);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(paused + "|" + flowing), Topics.unique("group"))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .transactionSlots(1) // both topics' partitions in one transaction
                .maxTransactionRecords(1_000)
                .build()) {
            mirror.pause(List.of(paused));
            mirror.start();
            MirrorTesting.awaitRunning(mirror);
            Traffic traffic = new Traffic(source, flowing, 200, 5, 50); // 4 s of 50 records a second
            traffic.start();
            traffic.finish();
            awaitRecords(flowing, 200);
            // the paused topic's 5,000 waiting records are no backlog the mirror could catch up on: a transaction kept
            // open for them held the flowing topic's records back for 3 s at a time (2-3 commits in 4 s)
            long markers = destinationEnd(flowing) - 200;
            assertThat(markers).as("commits of the flowing topic, every 100 ms interval that had records").isGreaterThanOrEqualTo(10);
            assertThat(destinationEnd(paused)).as("nothing of the paused topic mirrored").isZero();
            mirror.resume(List.of(paused));
            awaitRecords(paused, 5_000);
            assertSameRecordsPerPartition(paused, paused);
            assertSameRecordsPerPartition(flowing, flowing);
        }
    }

    @Test
    void whileCatchingUp_aTransactionIsCommittedWellWithinTheProducersTransactionTimeout() throws Exception {
        String topic = backlog("backlog", 1, 20_000, 100);
        long bytes = keyAndValueBytes(topic);
        // the coordinator aborts a transaction older than transaction.timeout.ms when it next looks (every 10 s by
        // default; every 100 ms here)
        try (EmbeddedKafkaCluster quickToAbort = EmbeddedKafkaCluster.builder().name("aborts-timed-out-transactions")
                .brokerConfig("transaction.abort.timed.out.transaction.cleanup.interval.ms", 100).start()) {
            Map<String, Object> destinationConfig = new HashMap<>(quickToAbort.clientConfig());
            destinationConfig.put("transaction.timeout.ms", 2_000);
            try (Mirror mirror = Mirror.builder().source(source.clientConfig()).destination(destinationConfig)
                    .topics(TopicFilter.include(topic)).groupId(Topics.unique("group"))
                    .guarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .transactionCommitInterval(java.time.Duration.ofMillis(10))
                    .maxTransactionRecords(20_000) // catching up (a whole transaction behind) all along
                    .maxBytesPerSecond(bytes / 8) // a catch-up of about 8 s
                    .build()) {
                mirror.start();
                await("20,000 records visible to read_committed readers of the destination",
                        () -> quickToAbort.topics().contains(topic) && quickToAbort.readAll(topic).size() >= 20_000);
            }
            assertThat(quickToAbort.readAll(topic).stream().map(MirrorTesting.View::of).toList())
                    .as("every record once, in source order").containsExactlyElementsOf(
                            source.readAll(topic).stream().map(MirrorTesting.View::of).toList());
            assertThat(quickToAbort.readAll(topic, org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED))
                    .as("no transaction ran past transaction.timeout.ms and was aborted: the log holds each record once")
                    .hasSize(20_000);
        }
    }

    @Test
    void destinationThatCannotRunTransactions_failsWithAClearCause() {
        String topic = Topics.unique("notxn");
        source.createTopic(topic, 1);
        source.produceKeyed(topic, 10, 5, 1);
        try (EmbeddedKafkaCluster noTransactions = EmbeddedKafkaCluster.builder()
                .brokerConfig("transaction.state.log.replication.factor", 3)
                .brokerConfig("transaction.state.log.min.isr", 2).start()) {
            Map<String, Object> destinationConfig = new HashMap<>(noTransactions.clientConfig());
            destinationConfig.put("max.block.ms", 3_000);
            destinationConfig.put("request.timeout.ms", 2_000);
            destinationConfig.put("delivery.timeout.ms", 5_000); // how long the mirror retries before it gives up
            Mirror mirror = Mirror.builder().source(source.clientConfig()).destination(destinationConfig)
                    .topics(TopicFilter.include(topic)).groupId(Topics.unique("group"))
                    .guarantee(DeliveryGuarantee.EXACTLY_ONCE).build();
            mirror.start();
            await("mirror FAILED", () -> mirror.state() == MirrorState.FAILED);
            assertThat(mirror.failure()).get().extracting(Throwable::getMessage).asString()
                    .contains("the destination cannot run transactions").contains("transactional.id kmirror-");
            assertThat(noTransactions.readAll(topic)).as("nothing visible to read_committed readers").isEmpty();
        }
    }

    /** A new source topic named after {@code prefix} holding a backlog of {@code records} records over {@code keys} keys. */
    private String backlog(String prefix, int partitions, int records, int keys) {
        String topic = Topics.unique(prefix);
        source.createTopic(topic, partitions);
        source.produceKeyed(topic, records, keys, 3);
        return topic;
    }

    /** The key and value bytes of the source topic's records: what the throttle counts. */
    private long keyAndValueBytes(String topic) {
        return source.readAll(topic).stream().mapToLong(r -> r.serializedKeySize() + r.serializedValueSize()).sum();
    }

    private void awaitRecords(String topic, int total) {
        await(total + " records visible to read_committed readers of the destination",
                () -> destination.readAll(topic).size() >= total);
    }

    private long destinationEnd(String topic) {
        if (!destination.topics().contains(topic)) {
            return 0;
        }
        return destination.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    private int groupMembers(String group) {
        try {
            return source.admin().describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)
                    .get(group).members().size();
        } catch (Exception e) {
            throw new AssertionError("cannot describe group " + group, e);
        }
    }

    /** The destination, read_committed, holds exactly the source's committed records, partition by partition, in order. */
    private void assertSameRecordsPerPartition(String sourceTopic, String destinationTopic) {
        Map<Integer, List<MirrorTesting.View>> expected = byPartition(source.readAll(sourceTopic));
        Map<Integer, List<MirrorTesting.View>> actual = byPartition(destination.readAll(destinationTopic));
        if (!actual.keySet().equals(expected.keySet())) {
            Map<Integer, List<MirrorTesting.View>> uncommitted = byPartition(destination.readAll(destinationTopic, false));
            System.out.println("Partition mismatch: source " + counts(expected) + " dest rc " + counts(actual) + " dest ru " + counts(uncommitted)
                    + " dest HW " + destination.endOffsets(destinationTopic));
        }
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (int partition : expected.keySet()) {
            assertThat(actual.get(partition)).as("partition %d: same records, once each, in source order", partition)
                    .containsExactlyElementsOf(expected.get(partition));
        }
    }

    private static Map<Integer, Integer> counts(Map<Integer, List<MirrorTesting.View>> views) {
        Map<Integer, Integer> counts = new java.util.TreeMap<>();
        views.forEach((p, v) -> counts.put(p, v.size()));
        return counts;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

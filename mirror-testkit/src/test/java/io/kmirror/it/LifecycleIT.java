package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.awaitRunning;
import static io.kmirror.it.MirrorTesting.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorListener;
import io.kmirror.MirrorState;
import io.kmirror.TopicErrorPolicy;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/** The lifecycle at its edges: closing while starting or while waiting, clients that fail, listener events. */
@MirrorClusters
class LifecycleIT {

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    LifecycleIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void closedWhileStarting_leavesNoThreadOrClientBehind() throws Exception {
        String topic = Topics.unique("closestart");
        String group = Topics.unique("group");
        source.createTopic(topic, 1);
        AtomicReference<Mirror> mirror = new AtomicReference<>();
        mirror.set(mirror(source, destination, TopicFilter.include(topic), group).listener(new MirrorListener() {
            @Override
            public void onStateChange(MirrorState from, MirrorState to) {
                if (to == MirrorState.STARTING) { // start() is between its state change and starting its threads
                    new Thread(() -> mirror.get().close(), "closer").start();
                    await("the mirror stopped", () -> mirror.get().state().isTerminal());
                }
            }
        }).build());
        mirror.get().start();
        assertThat(mirror.get().close(WAIT)).isTrue();
        await("no thread of the mirror or of its clients left", () -> threadsOf(group).isEmpty());
    }

    @Test
    void anAdminClientThatCannotBeCreated_failsTheMirror_andTheOneCreatedBeforeIsClosed() throws Exception {
        String topic = Topics.unique("adminfails");
        String group = Topics.unique("group");
        source.createTopic(topic, 1);
        List<String> created = new CopyOnWriteArrayList<>();
        List<String> closed = new CopyOnWriteArrayList<>();
        io.kmirror.ClientFactories.AdminFactory real = Faults.admins(call -> {
            if (call.is("close")) {
                closed.add(call.config().get("client.id").toString());
            }
            return call.proceed();
        });
        Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group).adminFactory(config -> {
            if (!created.isEmpty()) {
                throw new KafkaException("injected: cannot create the second admin client");
            }
            created.add(config.get("client.id").toString());
            return real.create(config);
        }).build();
        try {
            mirror.start();
            await("mirror FAILED", () -> mirror.state() == MirrorState.FAILED);
        } finally {
            mirror.close();
        }
        assertThat(mirror.failure()).get().extracting(Throwable::getMessage).asString().contains("injected");
        assertThat(closed).as("admin clients closed").containsAll(created);
    }

    @Test
    void closeWithAnUnreachableDestination_isBoundedByItsTimeout() throws Exception {
        String topic = Topics.unique("unreachable");
        source.createTopic(topic, 20);
        source.produceKeyed(topic, 2_000, 200, 1);
        try (EmbeddedKafkaCluster fragile = EmbeddedKafkaCluster.builder().name("fragile-destination").start()) {
            Mirror mirror = mirror(source, fragile, TopicFilter.include(topic), Topics.unique("group"))
                    .guarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionCommitInterval(Duration.ofHours(1))
                    .maxTransactionRecords(1_000_000).build();
            try {
                mirror.start();
                awaitRunning(mirror);
                await("every record sent into the open transactions", () -> mirror.metrics().recordsMirrored() == 2_000);
                fragile.stopBroker(0);
                assertThat(mirror.close(Duration.ofSeconds(20))).as("closed within its timeout").isTrue();
            } finally {
                mirror.close(WAIT);
            }
        }
    }

    @Test
    void awaitCaughtUp_ignoresTopicsLeftOutUnderSkipTopic() throws Exception {
        String prefix = Topics.unique("skipwait");
        source.createTopic(prefix + "-good", 1);
        source.createTopic(prefix + "-bad", 1);
        source.produceKeyed(prefix + "-good", 50, 10, 2);
        source.produceKeyed(prefix + "-bad", 50, 10, 3);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(prefix + "-.*"), Topics.unique("group"))
                .topicNaming(topic -> {
                    if (topic.endsWith("-bad")) {
                        throw new IllegalArgumentException("no destination name for " + topic);
                    }
                    return topic;
                })
                .onTopicError(TopicErrorPolicy.SKIP_TOPIC).build()) {
            mirror.start();
            assertThat(mirror.awaitCaughtUp(Duration.ofSeconds(20))).as("caught up with every topic it mirrors").isTrue();
            assertThat(mirror.metrics().skippedTopics()).containsOnlyKeys(prefix + "-bad");
        }
    }

    @Test
    void awaitCaughtUp_whileTheMirrorCloses_returnsFalse() throws Exception {
        String topic = Topics.unique("closewait");
        source.createTopic(topic, 1);
        source.produceKeyed(topic, 50, 10, 4);
        AtomicBoolean closing = new AtomicBoolean();
        CountDownLatch adminClosed = new CountDownLatch(1);
        Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .consumerFactory(Faults.consumers(call -> {
                    if (call.is("poll")) { // never fetch: the mirror cannot catch up
                        Consumer<?, ?> consumer = (Consumer<?, ?>) call.target();
                        consumer.pause(consumer.assignment());
                    }
                    return call.proceed();
                }))
                .adminFactory(Faults.admins(call -> {
                    if (call.is("close")) {
                        Object result = call.proceed();
                        adminClosed.countDown();
                        return result;
                    }
                    if (call.is("listConsumerGroupOffsets") && closing.get()) {
                        adminClosed.await(30, TimeUnit.SECONDS); // the close lands while the waiter asks
                    }
                    return call.proceed();
                })).build();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                outcome.set(mirror.awaitCaughtUp(WAIT));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "waiter");
        try {
            mirror.start();
            awaitRunning(mirror);
            waiter.start();
            await("the waiter is polling", () -> waiter.getState() == Thread.State.TIMED_WAITING);
            closing.set(true);
            mirror.close();
            waiter.join(WAIT.toMillis());
        } finally {
            mirror.close();
        }
        assertThat(outcome.get()).as("what awaitCaughtUp gave back").isEqualTo(false);
    }

    @Test
    void destinationLeadersThatDoNotAnswer_delayThatTopic_notTheMirror() throws Exception {
        String prefix = Topics.unique("leaders");
        String slow = prefix + "-slow";
        String fast = prefix + "-fast";
        source.createTopic(slow, 1);
        source.createTopic(fast, 1);
        source.produceKeyed(slow, 50, 10, 5);
        source.produceKeyed(fast, 50, 10, 6);
        AtomicBoolean leadersSilent = new AtomicBoolean(true);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(prefix + "-.*"), Topics.unique("group"))
                .adminFactory(Faults.admins(call -> {
                    Object result = call.proceed();
                    if (!call.is("listOffsets") || !leadersSilent.get()
                            || !call.config().get("client.id").toString().contains("destination")) {
                        return result;
                    }
                    // the slow topic's partitions get no answer from a leader; the others answer as usual
                    ListOffsetsResult real = (ListOffsetsResult) result;
                    Map<TopicPartition, KafkaFuture<ListOffsetsResult.ListOffsetsResultInfo>> futures = new HashMap<>();
                    for (Object key : ((Map<?, ?>) call.arg(0)).keySet()) {
                        TopicPartition tp = (TopicPartition) key;
                        if (tp.topic().equals(slow)) {
                            KafkaFutureImpl<ListOffsetsResult.ListOffsetsResultInfo> failed = new KafkaFutureImpl<>();
                            failed.completeExceptionally(new LeaderNotAvailableException("injected: no leader yet"));
                            futures.put(tp, failed);
                        } else {
                            futures.put(tp, real.partitionResult(tp));
                        }
                    }
                    return new ListOffsetsResult(futures);
                })).build()) {
            mirror.start();
            MirrorAssertions.assertThat(destination.topic(fast)).eventually(Duration.ofSeconds(45)).watching(mirror)
                    .containsExactlyRecordsOf(source.topic(fast));
            assertThat(mirror.state()).isEqualTo(MirrorState.RUNNING);
            leadersSilent.set(false);
            MirrorAssertions.assertThat(destination.topic(slow)).eventually(WAIT).watching(mirror)
                    .containsExactlyRecordsOf(source.topic(slow));
        }
    }

    @Test
    void aNewDestinationTopicTheBrokerDoesNotKnowYet_isRetried_notFatal() throws Exception {
        // KRaft: CreateTopics returns once the controller has the topic; a broker that has not applied it yet
        // answers DescribeConfigs with UNKNOWN_TOPIC_OR_PARTITION (seen in CI right after kmirror created a topic)
        String topic = Topics.unique("unknownyet");
        source.createTopic(topic, 2);
        source.produceKeyed(topic, 200, 10, 7);
        AtomicInteger refusals = new AtomicInteger(3);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .adminFactory(Faults.admins(call -> {
                    if (!call.is("describeConfigs") || !call.config().get("client.id").toString().contains("destination")
                            || refusals.getAndDecrement() <= 0) {
                        return call.proceed();
                    }
                    Map<ConfigResource, KafkaFuture<Config>> futures = new HashMap<>();
                    for (Object resource : (Collection<?>) call.arg(0)) {
                        KafkaFutureImpl<Config> failed = new KafkaFutureImpl<>();
                        failed.completeExceptionally(new UnknownTopicOrPartitionException(
                                "injected: this server does not host this topic-partition"));
                        futures.put((ConfigResource) resource, failed);
                    }
                    return new DescribeConfigsResult(futures) { };
                })).build()) {
            mirror.start();
            MirrorAssertions.assertThat(destination.topic(topic)).eventually(WAIT).watching(mirror)
                    .containsExactlyRecordsOf(source.topic(topic));
            assertThat(refusals.get()).as("every injected refusal was met").isNegative();
            assertThat(mirror.state()).isEqualTo(MirrorState.RUNNING);
        }
    }

    @Test
    void stateEvents_reachTheListenerInOrder() throws Exception {
        String topic = Topics.unique("events");
        source.createTopic(topic, 1);
        List<String> handled = new CopyOnWriteArrayList<>();
        CountDownLatch stoppedHandled = new CountDownLatch(1);
        Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .listener(new MirrorListener() {
                    @Override
                    public void onStateChange(MirrorState from, MirrorState to) {
                        if (to == MirrorState.RUNNING) { // a slow listener: the mirror is closed meanwhile
                            try {
                                stoppedHandled.await(3, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        handled.add(from + "->" + to);
                        if (to == MirrorState.STOPPED) {
                            stoppedHandled.countDown();
                        }
                    }
                }).build();
        mirror.start();
        await("RUNNING", () -> mirror.state() == MirrorState.RUNNING);
        assertThat(mirror.close(WAIT)).isTrue();
        await("four events handled", () -> handled.size() == 4);
        assertThat(handled).containsExactly("CREATED->STARTING", "STARTING->RUNNING", "RUNNING->STOPPING", "STOPPING->STOPPED");
    }

    @Test
    void partitionsLostAfterAStall_reachTheListener() throws Exception {
        String topic = Topics.unique("lost");
        String group = Topics.unique("group");
        source.createTopic(topic, 1);
        source.produceKeyed(topic, 10, 5, 7);
        List<Collection<TopicPartition>> lost = new CopyOnWriteArrayList<>();
        AtomicBoolean stalled = new AtomicBoolean();
        Map<String, Object> consumer = new HashMap<>(source.clientConfig());
        consumer.put("max.poll.interval.ms", 3_000);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group).source(consumer)
                .transformer(record -> {
                    if (stalled.compareAndSet(false, true)) { // a stall past max.poll.interval.ms: the group drops the stream
                        await("the stream left the group", () -> groupMembers(group).isEmpty());
                    }
                    return record;
                })
                .listener(new MirrorListener() {
                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        lost.add(List.copyOf(partitions));
                    }
                }).build()) {
            mirror.start();
            await("the lost partition reported", () -> !lost.isEmpty());
            assertThat(lost.get(0)).containsExactly(new TopicPartition(topic, 0));
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
        }
    }

    private Set<String> groupMembers(String group) {
        try {
            return source.admin().describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                    .members().stream().map(m -> m.consumerId()).collect(Collectors.toSet());
        } catch (Exception e) {
            throw new AssertionError("cannot describe group " + group, e);
        }
    }

    private static List<String> threadsOf(String group) {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().contains("kmirror-" + group)) {
                names.add(thread.getName());
            }
        }
        return names;
    }
}

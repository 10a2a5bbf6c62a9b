package io.kmirror.internal;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorConfigException;
import io.kmirror.MirrorMetrics;
import io.kmirror.MirrorState;
import io.kmirror.internal.config.ClientConfigs;
import io.kmirror.internal.metrics.MirrorSensors;
import io.kmirror.internal.produce.KeyPreservingProducer;
import io.kmirror.internal.stream.AtLeastOnceDelivery;
import io.kmirror.internal.stream.Delivery;
import io.kmirror.internal.stream.ExactlyOnceDelivery;
import io.kmirror.internal.stream.Outbound;
import io.kmirror.internal.stream.StreamWorker;
import io.kmirror.internal.topics.DestinationTopics;
import io.kmirror.internal.topics.SubscriptionHolder;
import io.kmirror.internal.topics.TopicConfigSync;
import io.kmirror.internal.topics.TopicWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mirror: owns the clients and threads, runs the lifecycle. One topic thread scans the source
 * and prepares destination topics; one thread per stream moves records; a stop thread releases
 * everything, once, whether the host closed the mirror or a stream failed.
 */
public final class MirrorRuntime implements Mirror, StreamWorker.Owner {

    private static final Logger log = LoggerFactory.getLogger(MirrorRuntime.class);
    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final MirrorSettings settings;
    private final String name;
    private final Lifecycle lifecycle;
    private final MirrorCounters counters;
    private final SubscriptionHolder subscriptions = new SubscriptionHolder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger catchUpWaiters = new AtomicInteger();
    private final Set<StreamWorker> readyStreams = ConcurrentHashMap.newKeySet();
    private final List<StreamWorker> streams = new ArrayList<>();
    private final List<Thread> streamThreads = new ArrayList<>();
    private final Object stopLock = new Object();
    private Thread stopThread;
    private volatile ScheduledExecutorService topicThread;
    private volatile Admin sourceAdmin;
    private volatile Admin destinationAdmin;
    private volatile DestinationTopics destinationTopics;

    /** A mirror with validated {@code settings}, not started. */
    public MirrorRuntime(MirrorSettings settings) {
        this.settings = settings;
        this.name = settings.groupId();
        this.lifecycle = new Lifecycle(name, settings.listener());
        this.counters = new MirrorCounters(new MirrorSensors(settings.groupId(), settings.metricsRecordingLevel()));
        counters.sensors().gauge(MirrorSensors.FAILED, "1 once the mirror failed, else 0", () -> failure.get() == null ? 0 : 1);
    }

    @Override
    public void start() {
        if (!lifecycle.transition(MirrorState.CREATED, MirrorState.STARTING)) {
            throw new IllegalStateException("mirror " + name + " cannot start: it is " + lifecycle.state()
                    + "; a mirror starts once, build a new one to run again");
        }
        log.info("Starting mirror {}: {}", name, settings.description());
        warnAboutWeakProducerSettings();
        counters.sensors().reportOverJmx();
        topicThread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "kmirror-" + name + "-topics"));
        topicThread.execute(this::startUp);
    }

    private void startUp() {
        try {
            Admin source = settings.adminFactory().create(ClientConfigs.sourceAdmin(settings));
            destinationAdmin = settings.adminFactory().create(ClientConfigs.destinationAdmin(settings));
            sourceAdmin = source; // last: awaitCaughtUp takes a set sourceAdmin to mean both admins are there
            refuseLoopOntoItself();
            destinationTopics = new DestinationTopics(destinationAdmin, settings.destinationReplicationFactor(),
                    settings.listener());
            TopicConfigSync configSync = settings.syncTopicConfigs()
                    ? new TopicConfigSync(sourceAdmin, destinationAdmin, settings.excludedConfigs()) : null;
            TopicWatcher watcher = new TopicWatcher(sourceAdmin, settings.topics(), settings.topicNaming(), destinationTopics,
                    configSync, settings.topicErrorPolicy(), counters, subscriptions::publish);
            watcher.refresh();
            synchronized (stopLock) {
                if (stopThread != null) {
                    return;
                }
                for (int i = 0; i < settings.streams(); i++) {
                    StreamWorker stream = newStream(i);
                    Thread thread = new Thread(stream, "kmirror-" + name + "-stream-" + i);
                    streams.add(stream);
                    streamThreads.add(thread);
                    thread.start();
                }
            }
            long refreshMillis = settings.topicRefreshInterval().toMillis();
            topicThread.scheduleWithFixedDelay(() -> refreshTopics(watcher), refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private StreamWorker newStream(int id) {
        Consumer<byte[], byte[]> consumer = settings.consumerFactory().create(ClientConfigs.consumer(settings, id));
        try {
            return new StreamWorker(id, consumer, newDelivery(id, consumer), subscriptions, counters, settings.listener(), this,
                    () -> catchUpWaiters.get() > 0);
        } catch (RuntimeException e) {
            closeQuietly(() -> consumer.close(Duration.ZERO));
            throw e;
        }
    }

    private Delivery newDelivery(int id, Consumer<byte[], byte[]> consumer) {
        Outbound outbound = new Outbound(consumer, destinationTopics, settings.transformer(), settings.partitioning());
        if (settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            Map<String, Object> consumerConfig = ClientConfigs.consumer(settings, id);
            boolean startAtLatest = "latest".equals(String.valueOf(consumerConfig.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)));
            return new ExactlyOnceDelivery(id, consumer, outbound, counters,
                    transactionalId -> settings.producerFactory().create(
                            ClientConfigs.transactionalProducer(settings, transactionalId)),
                    settings.partitioning(), destinationAdmin, settings.groupId(), startAtLatest,
                    settings.transactionCommitInterval(), settings.maxTransactionRecords());
        }
        KeyPreservingProducer producer = new KeyPreservingProducer(
                settings.producerFactory().create(ClientConfigs.producer(settings, id)), settings.partitioning());
        return new AtLeastOnceDelivery(id, consumer, producer, outbound, counters, settings.sendFailurePolicy(),
                settings.offsetCommitInterval());
    }

    private void refreshTopics(TopicWatcher watcher) {
        try {
            watcher.refresh();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KafkaException e) {
            if (e.getCause() instanceof RetriableException || e.getCause() instanceof TimeoutException
                    || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                log.warn("Mirror {}: scanning topics failed ({}); retrying in {}", name, e.getMessage(),
                        settings.topicRefreshInterval());
            } else {
                fail(e);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Source and destination being one cluster with names mapped onto themselves would copy every record forever. */
    private void refuseLoopOntoItself() throws InterruptedException {
        if (!settings.topicNaming().isIdentity()) {
            return;
        }
        String source = clusterId(sourceAdmin, "source");
        String destination = clusterId(destinationAdmin, "destination");
        if (source != null && source.equals(destination)) {
            throw new MirrorConfigException("source and destination are the same cluster (cluster id " + source
                    + ") and topicNaming is identity(): every record would be mirrored onto itself in an endless loop;"
                    + " use another destination or topicNaming(TopicNaming.prefix(\"...\"))");
        }
    }

    private static String clusterId(Admin admin, String side) throws InterruptedException {
        try {
            return admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("cannot reach the " + side + " cluster: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("cannot reach the " + side + " cluster within 60 s", e);
        }
    }

    private void warnAboutWeakProducerSettings() {
        Object acks = settings.destinationConfig().get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !"all".equals(acks.toString()) && !"-1".equals(acks.toString())) {
            log.warn("Mirror {}: destination acks={} can lose records the destination acknowledged (acks=all is the default)",
                    name, acks);
        }
    }

    @Override
    public void streamReady(StreamWorker stream) {
        readyStreams.add(stream);
        if (readyStreams.size() == settings.streams()) {
            lifecycle.transition(MirrorState.STARTING, MirrorState.RUNNING);
        }
    }

    @Override
    public void streamFailed(StreamWorker stream, Throwable cause) {
        log.error("Mirror {}: stream {} failed; stopping the mirror", name, stream.id(), cause);
        fail(cause);
    }

    private void fail(Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            if (!(cause instanceof MirrorConfigException)) {
                log.error("Mirror {} failed", name, cause);
            } else {
                log.error("Mirror {} failed: {}", name, cause.getMessage());
            }
        }
        beginStop();
    }

    @Override
    public MirrorState state() {
        return lifecycle.state();
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        MirrorState state = lifecycle.state();
        if (state == MirrorState.CREATED) {
            throw new IllegalStateException("mirror " + name + " is not started");
        }
        while (sourceAdmin == null && lifecycle.state() == MirrorState.STARTING && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        throwIfFailed();
        if (sourceAdmin == null || lifecycle.state().compareTo(MirrorState.RUNNING) > 0) {
            return false;
        }
        catchUpWaiters.incrementAndGet();
        try {
            boolean exactlyOnce = settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE;
            CatchUpWaiter waiter = exactlyOnce
                    ? new CatchUpWaiter(sourceAdmin, destinationAdmin, settings.topics(),
                            ExactlyOnceDelivery.offsetsGroup(settings.groupId()),
                            tp -> new TopicPartition(settings.topicNaming().destinationTopic(tp.topic()), tp.partition()))
                    : new CatchUpWaiter(sourceAdmin, sourceAdmin, settings.topics(), settings.groupId(), tp -> tp);
            boolean caughtUp = waiter
                    .await(deadline, () -> lifecycle.state().compareTo(MirrorState.RUNNING) <= 0);
            throwIfFailed();
            return caughtUp;
        } finally {
            catchUpWaiters.decrementAndGet();
        }
    }

    private void throwIfFailed() {
        Throwable cause = failure.get();
        if (cause != null) {
            throw new IllegalStateException("mirror " + name + " failed: " + cause.getMessage(), cause);
        }
    }

    @Override
    public MirrorMetrics metrics() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    @Override
    public boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        beginStop();
        try {
            return lifecycle.awaitTerminal(timeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lifecycle.state().isTerminal();
        } finally {
            // here rather than when the mirror stops by itself: a FAILED mirror stays visible until its host closes it
            counters.sensors().close();
        }
    }

    /** The mirror's metrics registry, for {@code MirrorMeterBinder}. */
    public MirrorSensors sensors() {
        return counters.sensors();
    }

    /** Starts the stop thread once; every later call is a no-op. */
    private void beginStop() {
        synchronized (stopLock) {
            if (stopThread != null) {
                return;
            }
            stopThread = new Thread(this::stop, "kmirror-" + name + "-stop");
            stopThread.start();
        }
    }

    private void stop() {
        MirrorState from = lifecycle.state();
        while (!from.isTerminal() && from != MirrorState.STOPPING && !lifecycle.transition(from, MirrorState.STOPPING)) {
            from = lifecycle.state();
        }
        if (topicThread != null) {
            topicThread.shutdownNow();
            awaitQuietly(topicThread);
        }
        streams.forEach(StreamWorker::requestStop);
        for (Thread thread : streamThreads) {
            joinQuietly(thread);
        }
        // admin calls still pending at stop (e.g. to a source that cannot be reached) are abandoned, not awaited
        closeQuietly(sourceAdmin == null ? null : () -> sourceAdmin.close(Duration.ZERO));
        closeQuietly(destinationAdmin == null ? null : () -> destinationAdmin.close(Duration.ZERO));
        lifecycle.transition(MirrorState.STOPPING, failure.get() == null ? MirrorState.STOPPED : MirrorState.FAILED);
    }

    private static void awaitQuietly(ScheduledExecutorService executor) {
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("The topic thread did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Runnable close) {
        if (close == null) {
            return;
        }
        try {
            close.run();
        } catch (RuntimeException e) {
            log.warn("Closing a client failed", e);
        }
    }

    @Override
    public String toString() {
        return "Mirror{" + name + ", " + lifecycle.state() + "}";
    }
}

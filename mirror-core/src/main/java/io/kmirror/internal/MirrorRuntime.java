package io.kmirror.internal;

import io.kmirror.ClusterAccessException;
import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorConfigException;
import io.kmirror.MirrorMetrics;
import io.kmirror.MirrorState;
import io.kmirror.OffsetTranslator;
import io.kmirror.PartitionHealth;
import io.kmirror.TopicFilter;
import io.kmirror.internal.config.ClientConfigs;
import io.kmirror.internal.control.FlowControl;
import io.kmirror.internal.metrics.MirrorSensors;
import io.kmirror.internal.offsetmap.GroupOffsetSync;
import io.kmirror.internal.offsetmap.OffsetMapRecorder;
import io.kmirror.internal.offsetmap.OffsetMapTopic;
import io.kmirror.internal.offsetmap.OffsetMapTrimmer;
import io.kmirror.internal.config.ConfigMasking;
import io.kmirror.internal.produce.KeyPreservingProducer;
import io.kmirror.internal.produce.ProvenanceStamp;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.stream.AtLeastOnceDelivery;
import io.kmirror.internal.stream.Delivery;
import io.kmirror.internal.stream.ExactlyOnceDelivery;
import io.kmirror.internal.stream.Outbound;
import io.kmirror.internal.stream.ProducerHeapBudget;
import io.kmirror.internal.stream.TransactionSlots;
import io.kmirror.internal.stream.StreamContext;
import io.kmirror.internal.stream.StreamShared;
import io.kmirror.internal.stream.StreamStalledException;
import io.kmirror.internal.stream.StreamWorker;
import io.kmirror.internal.topics.AclSync;
import io.kmirror.internal.topics.DestinationTopics;
import io.kmirror.internal.topics.SubscriptionHolder;
import io.kmirror.internal.topics.TopicConfigSync;
import io.kmirror.internal.topics.TopicRegistry;
import io.kmirror.internal.topics.TopicWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
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
    /** How long a stream's round may take before its partitions are reported LAGGING. */
    private static final Duration STALL_THRESHOLD = Duration.ofSeconds(10);
    /** How long a stream whose producers were closed at the stop deadline gets to end. */
    private static final Duration ABANDON_GRACE = Duration.ofSeconds(2);
    /** How often the offset map's segments below the destination's log start are deleted (and once at start). */
    private static final Duration OFFSET_MAP_TRIM_INTERVAL = Duration.ofMinutes(10);
    /** How soon a topic scan that left topics waiting for their destination partitions' leaders runs again. */
    private static final Duration PENDING_RESCAN = Duration.ofSeconds(1);

    private final MirrorSettings settings;
    private final String name;
    private final Lifecycle lifecycle;
    private final MirrorCounters counters;
    private final HealthBoard health;
    private final ClusterAccess sourceAccess;
    private final ClusterAccess destinationAccess;
    private final SubscriptionHolder subscriptions = new SubscriptionHolder();
    private final FlowControl flow;
    private volatile TopicFilter topics;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger catchUpWaiters = new AtomicInteger();
    private final Set<StreamWorker> readyStreams = ConcurrentHashMap.newKeySet();
    private final List<StreamWorker> streams = new ArrayList<>();
    private final List<Thread> streamThreads = new ArrayList<>();
    private final Object stopLock = new Object();
    private Thread stopThread;
    private volatile long stopDeadlineNanos;
    private volatile ScheduledExecutorService topicThread;
    private volatile ScheduledExecutorService healthThread;
    private volatile Admin sourceAdmin;
    private volatile Admin destinationAdmin;
    private volatile String sourceClusterId;
    private volatile String destinationClusterId;
    private volatile DestinationTopics destinationTopics;
    /** Exactly-once's per-partition producers, counted against this process's heap. */
    private volatile TopicRegistry registry;
    private volatile TopicWatcher watcher;
    private volatile ScheduledExecutorService groupSyncThread;
    private OffsetTranslator groupSyncTranslator;
    private volatile OffsetMapTrimmer trimmer;
    private OffsetTranslator offsetTranslator;
    /** Counted down after the first topic scan: awaitCaughtUp reads the source's ends only after it. */
    private final CountDownLatch firstScan = new CountDownLatch(1);

    /** A mirror with validated {@code settings}, not started. */
    public MirrorRuntime(MirrorSettings settings) {
        this.settings = settings;
        this.name = settings.groupId();
        this.lifecycle = new Lifecycle(name, settings.listener());
        this.health = new HealthBoard(settings.listener());
        this.flow = new FlowControl(settings.maxBytesPerSecond());
        this.topics = settings.topics();
        this.counters = new MirrorCounters(new MirrorSensors(settings.groupId(), settings.metricsRecordingLevel()));
        counters.sensors().gauge(MirrorSensors.FAILED, "1 once the mirror failed, else 0", () -> failure.get() == null ? 0 : 1);
        counters.sensors().healthSource(tp -> {
            PartitionHealth.State state = health.state(tp);
            return state == null ? Double.NaN : state.ordinal();
        });
        counters.sensors().gauge(MirrorSensors.UNHEALTHY_PARTITIONS, "Partitions of this mirror that are not OK (see Mirror.health())",
                () -> health.snapshot().values().stream().filter(h -> h.state() != PartitionHealth.State.OK).count());
        counters.sensors().gauge(MirrorSensors.PAUSED_TOPICS, "Source topics paused by the host (Mirror.pause)",
                () -> flow.pausedTopics().size());
        counters.sensors().gauge(MirrorSensors.MAX_BYTES_PER_SECOND, "The throttle in bytes per second; 0: none",
                () -> flow.throttle().bytesPerSecond());
        this.sourceAccess = ClusterAccess.source(settings.sourceConfig());
        this.destinationAccess = ClusterAccess.destination(settings.destinationConfig());
    }

    @Override
    public void start() {
        if (!lifecycle.transition(MirrorState.CREATED, MirrorState.STARTING)) {
            throw new IllegalStateException("mirror " + name + " cannot start: it is " + lifecycle.state()
                    + "; a mirror starts once, build a new one to run again");
        }
        log.info("Starting mirror {}: {}", name, settings.description());
        warnAboutWeakProducerSettings();
        synchronized (stopLock) {
            if (stopThread != null) {
                return; // closed while starting (a listener of the STARTING event may do that)
            }
            counters.sensors().reportOverJmx();
            topicThread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "kmirror-" + name + "-topics"));
            topicThread.execute(this::startUp);
        }
    }

    private void startUp() {
        try {
            sourceAdmin = createAdmin(sourceAccess, ClientConfigs.sourceAdmin(settings));
            destinationAdmin = createAdmin(destinationAccess, ClientConfigs.destinationAdmin(settings));
            sourceClusterId = clusterId(sourceAdmin, sourceAccess);
            destinationClusterId = clusterId(destinationAdmin, destinationAccess);
            refuseLoopOntoItself();
            registry = new TopicRegistry(destinationAdmin, settings.destinationConfig(), "kmirror-" + name);
            registry.load();
            if (settings.offsetTranslation()) {
                OffsetMapTopic.topic(destinationAccess).ensure(destinationAdmin);
            }
            destinationTopics = new DestinationTopics(destinationAdmin, settings.destinationReplicationFactor(),
                    settings.listener(), registry, destinationAccess);
            TopicConfigSync configSync = settings.syncTopicConfigs()
                    ? new TopicConfigSync(sourceAdmin, destinationAdmin, settings.excludedConfigs(), sourceAccess, destinationAccess)
                    : null;
            watcher = new TopicWatcher(sourceAdmin, sourceAccess, topics, settings.topicNaming(), destinationTopics,
                    configSync, settings.topicErrorPolicy(), counters, registry, sourceClusterId, settings.gapPolicy(),
                    settings.syncConfigsOfExistingTopics(), subscriptions::publish,
                    settings.syncAcls() ? new AclSync(sourceAdmin, destinationAdmin, sourceAccess, destinationAccess) : null);
            // the streams' clients are made while the first scan runs; they subscribe to what it publishes
            synchronized (stopLock) {
                if (stopThread != null) {
                    return;
                }
                healthThread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "kmirror-" + name + "-health"));
                healthThread.scheduleWithFixedDelay(this::reportStalledStreams, 1, 1, TimeUnit.SECONDS);
                counters.sensors().registerPartitionsOn(healthThread);
                for (int i = 0; i < settings.streams(); i++) {
                    StreamWorker stream = newStream(i);
                    Thread thread = new Thread(stream, "kmirror-" + name + "-stream-" + i);
                    streams.add(stream);
                    streamThreads.add(thread);
                    thread.start();
                }
            }
            boolean pending = watcher.refresh();
            firstScan.countDown();
            startGroupSync();
            try {
                if (destinationTopics.hasUnwritable()) {
                    topicThread.execute(this::periodicScan); // waits for new partitions' leaders while the streams run
                } else {
                    scheduleScan(pending);
                }
                if (settings.offsetTranslation()) {
                    trimmer = new OffsetMapTrimmer(settings.destinationConfig(), settings.groupId(), destinationAdmin);
                    topicThread.scheduleWithFixedDelay(this::trimOffsetMap, 0, OFFSET_MAP_TRIM_INTERVAL.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            } catch (RejectedExecutionException e) {
                // the mirror is stopping
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private StreamWorker newStream(int id) {
        Consumer<byte[], byte[]> consumer = settings.consumerFactory().create(ClientConfigs.consumer(settings, id));
        try {
            StreamShared shared = new StreamShared(subscriptions, counters, health, settings.listener(),
                    () -> catchUpWaiters.get() > 0, settings.gapPolicy(), flow, destinationTopics, settings.partitioning());
            return new StreamWorker(id, consumer, newDelivery(id, consumer), shared, this);
        } catch (RuntimeException e) {
            closeQuietly(() -> consumer.close(Duration.ZERO));
            throw e;
        }
    }

    private Delivery newDelivery(int id, Consumer<byte[], byte[]> consumer) {
        Object compression = settings.destinationConfig().get(ProducerConfig.COMPRESSION_TYPE_CONFIG);
        Outbound outbound = new Outbound(consumer, destinationTopics, settings.transformer(), settings.partitioning(),
                compression == null || "none".equals(compression.toString().trim()),
                settings.loopPrevention() ? new ProvenanceStamp(sourceClusterId, destinationClusterId) : null, counters);
        StreamContext context = new StreamContext(id, consumer, outbound, counters, health, settings.sendFailurePolicy(),
                ClientConfigs.startPosition(settings), topic -> subscriptions.current().topicIds().get(topic), destinationAccess,
                topic -> flow.pausedTopics().contains(topic));
        if (settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            return new ExactlyOnceDelivery(context,
                    transactionalId -> settings.producerFactory().create(
                            ClientConfigs.transactionalProducer(settings, transactionalId)),
                    settings.partitioning(), destinationAdmin, settings.groupId(),
                    new TransactionSlots(settings.groupId(), sourceClusterId, settings.transactionSlots()),
                    settings.transactionCommitInterval(), settings.maxTransactionRecords(), ClientConfigs.transactionTimeout(settings),
                    ClientConfigs.deliveryTimeout(settings),
                    offsetMapRecorder(), producerBudget(id), ClientConfigs.maxPollRecords(settings), ClientConfigs.fetchMaxBytes(settings));
        }
        KeyPreservingProducer producer = new KeyPreservingProducer(
                settings.producerFactory().create(ClientConfigs.producer(settings, id)), settings.partitioning());
        return new AtLeastOnceDelivery(context, producer, settings.offsetCommitInterval(), ClientConfigs.deliveryTimeout(settings),
                offsetMapRecorder());
    }

    /** Stream {@code id}'s share of the producers exactly-once may open. */
    private ProducerHeapBudget producerBudget(int id) {
        if (settings.transactionSlots() > 0) {
            return ProducerHeapBudget.unbounded();
        }
        return ProducerHeapBudget.forStream(Runtime.getRuntime().maxMemory(), settings.maxOpenTransactions(), settings.streams(), id,
                ClientConfigs.transactionalBufferMemory(settings),
                topic -> destinationTopics.route(topic).map(DestinationRoute::partitions).orElse(1));
    }

    private void trimOffsetMap() {
        try {
            trimmer.trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Mirror {}: trimming the offset map failed ({}); tried again in {}", name, e.getMessage(), OFFSET_MAP_TRIM_INTERVAL);
        }
    }

    /** With syncGroupOffsets: the groups' offsets are copied on a thread of their own, every groupSyncInterval. */
    private void startGroupSync() {
        if (settings.syncGroups() == null) {
            return;
        }
        synchronized (stopLock) {
            if (stopThread != null) {
                return;
            }
            groupSyncTranslator = OffsetTranslator.create(settings.destinationConfig(), settings.groupId());
            GroupOffsetSync sync = new GroupOffsetSync(sourceAdmin, groupSyncTranslator, settings.syncGroups(), settings.groupId());
            groupSyncThread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "kmirror-" + name + "-group-sync"));
            long interval = settings.groupSyncInterval().toMillis();
            groupSyncThread.scheduleWithFixedDelay(() -> {
                try {
                    sync.syncOnce();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log.warn("Mirror {}: syncing group offsets failed ({}); tried again in {} ms", name, e.getMessage(), interval);
                }
            }, 0, interval, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public OffsetTranslator offsets() {
        if (!settings.offsetTranslation()) {
            throw new IllegalStateException("mirror " + name + " keeps no offset map (offsetTranslation(false))");
        }
        if (lifecycle.state() == MirrorState.CREATED) {
            throw new IllegalStateException("mirror " + name + " has not started: its offset map is read once it runs");
        }
        synchronized (stopLock) {
            if (stopThread != null && offsetTranslator == null) {
                throw new IllegalStateException("mirror " + name + " is " + lifecycle.state() + "; use OffsetTranslator.create"
                        + " to translate without it");
            }
            if (offsetTranslator == null) {
                offsetTranslator = OffsetTranslator.create(settings.destinationConfig(), settings.groupId());
            }
            return offsetTranslator;
        }
    }

    /** A stream's (at-least-once) or a stream's transactions' (exactly-once) offset map; null without one. */
    private OffsetMapRecorder offsetMapRecorder() {
        return settings.offsetTranslation() ? new OffsetMapRecorder(settings.groupId()) : null;
    }

    /** A stream blocked on the destination cannot report its partitions' health itself: the watchdog does. */
    private void reportStalledStreams() {
        long now = System.nanoTime();
        List<StreamWorker> running;
        synchronized (stopLock) {
            running = List.copyOf(streams);
        }
        for (StreamWorker stream : running) {
            Set<TopicPartition> stalled = stream.stalledPartitions(now, STALL_THRESHOLD.toNanos());
            if (!stalled.isEmpty()) {
                StreamStalledException cause = new StreamStalledException("stream " + stream.id() + " has waited "
                        + TimeUnit.NANOSECONDS.toSeconds(stream.roundNanos(now)) + " s for the destination (a send, commit or"
                        + " open is blocked)");
                stalled.forEach(tp -> health.lagging(tp, cause));
            }
        }
    }

    /**
     * Schedules the next periodic scan: after the refresh interval, or after {@link #PENDING_RESCAN} when
     * topics wait for their destination partitions' leaders (thousands of new partitions take seconds).
     */
    private void scheduleScan(boolean pending) {
        Duration delay = pending ? PENDING_RESCAN : settings.topicRefreshInterval();
        try {
            topicThread.schedule(this::periodicScan, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void periodicScan() {
        scheduleScan(refreshTopics());
    }

    /** Scans the topics once and waits for new destination partitions' leaders; returns whether to scan again soon. */
    private boolean refreshTopics() {
        try {
            boolean pending = watcher.refresh();
            return watcher.awaitDestinationLeaders() || pending;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KafkaException e) {
            if (Faults.isTransient(e)) {
                log.warn("Mirror {}: scanning topics failed ({}); retrying in {}", name, e.getMessage(),
                        settings.topicRefreshInterval());
            } else {
                fail(e);
            }
        } catch (Throwable t) {
            fail(t);
        }
        return false;
    }

    /** Source and destination being one cluster with names mapped onto themselves would copy every record forever. */
    private void refuseLoopOntoItself() {
        if (!settings.topicNaming().isIdentity()) {
            return;
        }
        String source = sourceClusterId;
        String destination = destinationClusterId;
        if (source != null && source.equals(destination)) {
            throw new MirrorConfigException(SettingsValidator.loopOntoItself("cluster id " + source));
        }
    }

    /**
     * Kafka's admin client, the first client of its side: one that cannot be created (a key store it cannot
     * read, a bad JAAS text) fails naming the side. Kafka's JAAS parser may quote a misplaced password, so its
     * words are scrubbed of secrets, and its exception is attached only when they held none.
     */
    private Admin createAdmin(ClusterAccess access, Map<String, Object> config) {
        try {
            return settings.adminFactory().create(config);
        } catch (KafkaException e) {
            String said = Faults.messages(e);
            String scrubbed = ConfigMasking.scrub(said, config);
            String message = access + ": cannot create a client with the " + access.side() + " configuration: " + scrubbed;
            throw scrubbed.equals(said) ? new KafkaException(message, e) : new KafkaException(message);
        }
    }

    private static String clusterId(Admin admin, ClusterAccess access) throws InterruptedException {
        try {
            return admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw access.failure(e.getCause(), "DESCRIBE on the cluster",
                    () -> new KafkaException("cannot reach the " + access + ": " + e.getCause(), e.getCause()));
        } catch (TimeoutException e) {
            throw new KafkaException("cannot reach the " + access + " within 60 s", e);
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

    /**
     * A refusal the stream's delivery did not name comes from its source consumer (polls, commits, position
     * look-ups): the deliveries name every refusal of the destination themselves.
     */
    @Override
    public void streamFailed(StreamWorker stream, Throwable cause) {
        ClusterAccessException denial = sourceAccess.denial(cause,
                "READ on " + ClusterAccess.resource(cause, "the mirrored topics or group " + settings.groupId()));
        Throwable failure = denial == null ? cause : denial;
        log.error("Mirror {}: stream {} failed; stopping the mirror", name, stream.id(), failure);
        fail(failure);
    }

    private void fail(Throwable cause) {
        failed(cause);
        beginStop(System.nanoTime() + DEFAULT_CLOSE_TIMEOUT.toNanos());
    }

    private void failed(Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            if (!(cause instanceof MirrorConfigException)) {
                log.error("Mirror {} failed", name, cause);
            } else {
                log.error("Mirror {} failed: {}", name, cause.getMessage());
            }
        }
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
        if (lifecycle.state() == MirrorState.CREATED) {
            throw new IllegalStateException("mirror " + name + " is not started");
        }
        while (firstScan.getCount() > 0 && isRunning() && System.nanoTime() < deadline) {
            firstScan.await(10, TimeUnit.MILLISECONDS);
        }
        throwIfFailed();
        if (firstScan.getCount() > 0 || !isRunning()) {
            return false;
        }
        catchUpWaiters.incrementAndGet();
        try {
            boolean exactlyOnce = settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE;
            Supplier<Set<String>> skipped = () -> counters.snapshot().skippedTopics().keySet();
            CatchUpWaiter waiter = exactlyOnce
                    ? new CatchUpWaiter(sourceAdmin, sourceAccess, destinationAdmin, destinationAccess, topics, skipped,
                            ExactlyOnceDelivery.offsetsGroup(settings.groupId()),
                            tp -> new TopicPartition(settings.topicNaming().destinationTopic(tp.topic()), tp.partition()), true)
                    : new CatchUpWaiter(sourceAdmin, sourceAccess, sourceAdmin, sourceAccess, topics, skipped,
                            settings.groupId(), tp -> tp, false);
            boolean caughtUp;
            try {
                caughtUp = waiter.await(deadline, this::isRunning);
            } catch (KafkaException e) {
                if (isRunning()) {
                    throw e;
                }
                caughtUp = false; // closed or failed while waiting: its admin clients are gone
            }
            throwIfFailed();
            return caughtUp;
        } finally {
            catchUpWaiters.decrementAndGet();
        }
    }

    private boolean isRunning() {
        return lifecycle.state().compareTo(MirrorState.RUNNING) <= 0;
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
    public Map<TopicPartition, PartitionHealth> health() {
        return health.snapshot();
    }

    @Override
    public void updateTopics(TopicFilter filter) {
        Objects.requireNonNull(filter, "filter");
        SettingsValidator.checkFilter(filter);
        synchronized (stopLock) {
            throwIfStopping("change its topics");
            topics = filter;
            if (watcher != null) {
                watcher.filter(filter);
            }
            if (topicThread != null) {
                topicThread.execute(this::refreshTopicsNow);
            }
        }
        log.info("Mirror {}: topics are now {}", name, filter);
    }

    /** A scan asked for by the host: the filter the topic thread started with may have changed since. */
    private void refreshTopicsNow() {
        if (watcher != null) {
            watcher.filter(topics);
            refreshTopics();
        }
    }

    @Override
    public void pause(Collection<String> topicNames) {
        Set<String> names = topicNames(topicNames);
        throwIfStopping("pause topics");
        flow.pause(names);
        log.info("Mirror {}: paused {}; paused now: {}", name, names, flow.pausedTopics());
    }

    @Override
    public void resume(Collection<String> topicNames) {
        Set<String> names = topicNames(topicNames);
        throwIfStopping("resume topics");
        flow.resume(names);
        log.info("Mirror {}: resumed {}; paused now: {}", name, names, flow.pausedTopics());
    }

    @Override
    public Set<String> pausedTopics() {
        return flow.pausedTopics();
    }

    @Override
    public void maxBytesPerSecond(long bytesPerSecond) {
        throwIfStopping("change its throttle");
        flow.throttle().set(bytesPerSecond);
        log.info("Mirror {}: throttle {}", name, bytesPerSecond == 0 ? "off" : bytesPerSecond + " bytes/s");
    }

    private static Set<String> topicNames(Collection<String> topicNames) {
        Objects.requireNonNull(topicNames, "topics");
        Set<String> names = new TreeSet<>();
        for (String topic : topicNames) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("a topic name is " + (topic == null ? "null" : "blank") + " in " + topicNames);
            }
            names.add(topic);
        }
        return names;
    }

    private void throwIfStopping(String what) {
        MirrorState state = lifecycle.state();
        if (state.compareTo(MirrorState.RUNNING) > 0) {
            throw new IllegalStateException("mirror " + name + " cannot " + what + ": it is " + state);
        }
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    @Override
    public boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        beginStop(System.nanoTime() + timeout.toNanos());
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

    /**
     * Starts the stop thread once, to be done by {@code deadlineNanos}; every later call is a no-op (the
     * first close or failure sets the deadline).
     */
    private void beginStop(long deadlineNanos) {
        synchronized (stopLock) {
            if (stopThread != null) {
                return;
            }
            stopDeadlineNanos = deadlineNanos;
            stopThread = new Thread(this::stop, "kmirror-" + name + "-stop");
            stopThread.start();
        }
    }

    /**
     * Releases everything, bounded by the stop deadline: the topic thread, then the streams (each drains
     * and commits what it can in time; one still blocked on the destination at the deadline has its
     * producers closed), then the admin clients.
     */
    private void stop() {
        MirrorState from = lifecycle.state();
        while (!from.isTerminal() && from != MirrorState.STOPPING && !lifecycle.transition(from, MirrorState.STOPPING)) {
            from = lifecycle.state();
        }
        long deadline = stopDeadlineNanos;
        if (topicThread != null) {
            topicThread.shutdownNow();
            awaitQuietly(topicThread, deadline);
        }
        if (healthThread != null) {
            healthThread.shutdownNow();
        }
        if (groupSyncThread != null) {
            groupSyncThread.shutdownNow();
            awaitQuietly(groupSyncThread, deadline);
        }
        List<StreamWorker> running;
        List<Thread> threads;
        synchronized (stopLock) {
            running = List.copyOf(streams);
            threads = List.copyOf(streamThreads);
        }
        // the streams get all but the last second (or tenth) of the time, to leave room for what follows them
        long now = System.nanoTime();
        long streamDeadline = deadline - Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(0, deadline - now) / 10);
        running.forEach(stream -> stream.requestStop(streamDeadline));
        for (int i = 0; i < threads.size(); i++) {
            if (!joinQuietly(threads.get(i), streamDeadline)) {
                log.warn("Mirror {}: stream {} did not stop in time; closing its producers", name, running.get(i).id());
                running.get(i).abandon();
                joinQuietly(threads.get(i), Math.max(deadline, System.nanoTime() + ABANDON_GRACE.toNanos()));
            }
        }
        closeQuietly(registry == null ? null : registry::close);
        closeQuietly(trimmer == null ? null : trimmer::close);
        synchronized (stopLock) {
            closeQuietly(groupSyncTranslator == null ? null : groupSyncTranslator::close);
            closeQuietly(offsetTranslator == null ? null : offsetTranslator::close);
        }
        // admin calls still pending at stop (e.g. to a source that cannot be reached) are abandoned, not awaited
        closeQuietly(sourceAdmin == null ? null : () -> sourceAdmin.close(Duration.ZERO));
        closeQuietly(destinationAdmin == null ? null : () -> destinationAdmin.close(Duration.ZERO));
        lifecycle.transition(MirrorState.STOPPING, failure.get() == null ? MirrorState.STOPPED : MirrorState.FAILED);
    }

    private static void awaitQuietly(ScheduledExecutorService executor, long deadlineNanos) {
        try {
            if (!executor.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.warn("The topic thread did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean joinQuietly(Thread thread, long deadlineNanos) {
        try {
            long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            thread.join(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
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

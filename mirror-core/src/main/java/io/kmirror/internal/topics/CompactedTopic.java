package io.kmirror.internal.topics;

import io.kmirror.internal.ClusterAccess;
import io.kmirror.internal.Faults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One of kmirror's own compacted topics on the destination (one partition): created when missing, usable once it has a leader. */
public final class CompactedTopic {

    private static final Logger log = LoggerFactory.getLogger(CompactedTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final String what;
    private final ClusterAccess access;

    /**
     * @param topic  the topic's name (starts with {@code __kmirror})
     * @param what   what it holds, for messages, e.g. "kmirror's topic registry"
     * @param access names the destination in refusals
     */
    public CompactedTopic(String topic, String what, ClusterAccess access) {
        this.topic = topic;
        this.what = what;
        this.access = access;
    }

    /** What a secured destination must allow the mirror's principal on this topic. */
    public String needed() {
        return "CREATE, DESCRIBE, READ and WRITE on topic " + topic;
    }

    /** Creates the topic if it is missing and waits until its partition has a leader that answers. */
    public void ensure(Admin admin) throws InterruptedException {
        NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created {} {} on the destination", what, topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw access.failure(e.getCause(), needed(), () -> new KafkaException("cannot create " + what + " " + topic
                        + " on the destination: " + e.getCause() + "; create it (1 partition, cleanup.policy=compact)"
                        + " or let kmirror do it (on a secured cluster: CREATE on that topic)", e.getCause()));
            }
        } catch (TimeoutException e) {
            throw new KafkaException("creating " + what + " " + topic + " on the destination timed out", e);
        }
        awaitLeader(admin);
    }

    private boolean hasLeader(Admin admin) throws InterruptedException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            if (Faults.isFatal(e)) {
                throw access.failure(e, needed(), () -> new KafkaException(what + " " + topic + " cannot be described: "
                        + e.getCause(), e.getCause()));
            }
            return false;
        }
    }

    /**
     * The first write to a new partition must wait for its leader (KAFKA-15591). The topic's metadata is awaited
     * first: a list-offsets request for a topic the brokers do not know yet makes the admin client log an error.
     */
    private void awaitLeader(Admin admin) throws InterruptedException {
        TopicPartition partition = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!hasLeader(admin) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        while (true) {
            try {
                admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (Faults.isFatal(e)) {
                    throw access.failure(e, needed(), () -> new KafkaException(what + " " + topic + " cannot be used: "
                            + e.getCause(), e.getCause()));
                }
                if (System.nanoTime() > deadline) {
                    throw new KafkaException(what + " " + topic + " has no leader that answers", e);
                }
                Thread.sleep(50);
            }
        }
    }
}

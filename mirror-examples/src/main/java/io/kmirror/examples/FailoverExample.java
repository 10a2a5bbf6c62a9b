package io.kmirror.examples;

import io.kmirror.GroupFilter;
import io.kmirror.GroupOffset;
import io.kmirror.Mirror;
import io.kmirror.OffsetTranslator;
import io.kmirror.TopicFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * README's "Failover" examples, compiled so that they stay true: a mirror that keeps the application groups'
 * offsets on the destination up to date, and a failover script's translation without a running mirror.
 */
public final class FailoverExample {

    private FailoverExample() {
    }

    /** A mirror of {@code orders.*} that copies the offsets of the {@code orders-*} groups but the audit one. */
    public static Mirror build(Map<String, Object> sourceConfig, Map<String, Object> destinationConfig) {
        // snippet:start sync-groups
        Mirror mirror = Mirror.builder()
                .source(sourceConfig).destination(destinationConfig)
                .topics(TopicFilter.include("orders.*"))
                .groupId("orders-mirror")
                .syncGroupOffsets(GroupFilter.include("orders-.*").exclude("orders-audit"))
                .groupSyncInterval(Duration.ofSeconds(1))   // the default
                .build();
        // snippet:end sync-groups
        return mirror;
    }

    /** A failover script's steps with the standalone translator: one position looked up, then a whole group moved. */
    public static void failOver(Map<String, Object> sourceConfig, Map<String, Object> destinationConfig)
            throws InterruptedException {
        // snippet:start translate
        try (OffsetTranslator translator = OffsetTranslator.create(destinationConfig, "orders-mirror");
             Admin source = Admin.create(sourceConfig)) {
            OptionalLong position = translator.translate(new TopicPartition("orders", 0), 41_872);  // empty: not yet
            System.out.println("orders-0 at 41872 continues on the destination at " + position);

            List<GroupOffset> plan = translator.translateGroup(source, "orders-app");
            plan.forEach(line -> System.out.println(line.source() + " -> " + line.destinationPosition() + ", lag " + line.lag()));
            translator.applyGroup("orders-app", plan);  // GroupNotEmptyException while it has members there
        }
        // snippet:end translate
    }
}

package io.kmirror.internal.offsetmap;

import io.kmirror.GroupFilter;
import io.kmirror.GroupOffset;
import io.kmirror.OffsetTranslator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the committed offsets of the source's consumer groups to the destination, translated through
 * the offset map: each round, every matching group that has no active member on the destination is
 * moved forward to where its source position is on the destination. Runs on one thread of its own.
 */
public final class GroupOffsetSync {

    private static final Logger log = LoggerFactory.getLogger(GroupOffsetSync.class);
    /** Groups on the source that hold exactly-once offsets of a mirror writing the other way: never synced. */
    private static final String OFFSETS_GROUP_PREFIX = "kmirror-offsets-";

    private final Admin sourceAdmin;
    private final OffsetTranslator translator;
    private final GroupFilter groups;
    private final String mirrorGroup;

    /**
     * @param sourceAdmin reads the source's groups and their offsets
     * @param translator  the mirror's offset map, on the destination
     * @param groups      which groups to sync
     * @param mirrorGroup the mirror's own group, never synced
     */
    public GroupOffsetSync(Admin sourceAdmin, OffsetTranslator translator, GroupFilter groups, String mirrorGroup) {
        this.sourceAdmin = sourceAdmin;
        this.translator = translator;
        this.groups = groups;
        this.mirrorGroup = mirrorGroup;
    }

    /** One round: every matching source group whose translated position moved; a failure of one group is logged and skipped. */
    public void syncOnce() throws InterruptedException {
        for (String group : matchingGroups()) {
            try {
                List<GroupOffset> plan = translator.translateGroup(sourceAdmin, group);
                Map<TopicPartition, OffsetAndMetadata> moved = translator.applyGroup(group, plan);
                if (!moved.isEmpty()) {
                    log.debug("Synced group {} on the destination: {}", group, moved);
                }
            } catch (GroupNotEmptyException e) {
                log.debug("Group {} is active on the destination; not synced", group);
            } catch (KafkaException e) {
                log.warn("Syncing the offsets of group {} failed ({}); tried again at the next round", group, e.getMessage());
            }
        }
    }

    private List<String> matchingGroups() throws InterruptedException {
        try {
            return sourceAdmin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(ConsumerGroupListing::groupId)
                    .filter(group -> !group.equals(mirrorGroup) && !group.startsWith(OFFSETS_GROUP_PREFIX))
                    .filter(groups::matches)
                    .sorted()
                    .toList();
        } catch (ExecutionException e) {
            throw new KafkaException("listing the source's consumer groups failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("listing the source's consumer groups timed out", e);
        }
    }
}

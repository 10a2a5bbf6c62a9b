package io.kmirror.internal.topics;

import io.kmirror.internal.ClusterAccess;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives destination topics the read permissions their source topics have, as MirrorMaker 2's ACL sync
 * does: who may consume a topic at the source may consume its mirror. Run with every topic sync, after
 * the destination topics are ready. What it copies: each ACL of a mirrored source topic that names the
 * topic itself (pattern type {@code LITERAL}) and allows or denies {@code READ} or {@code DESCRIBE}
 * ({@code ALL} is copied as {@code READ}), with its principal and host, onto the destination topic's
 * name ({@code topicNaming} applied). What it never does: copy {@code WRITE} or any other operation
 * (only the mirror writes to a mirrored topic), copy {@code PREFIXED} or wildcard ACLs (on the
 * destination they would reach topics that are not mirrors), touch ACLs of groups, transactional ids or
 * the cluster, or change or delete an ACL on the destination: an ACL removed at the source stays on the
 * destination until an administrator removes it. Called from one thread.
 */
public final class AclSync {

    private static final Logger log = LoggerFactory.getLogger(AclSync.class);
    private static final AclBindingFilter LITERAL_TOPIC_ACLS = new AclBindingFilter(
            new ResourcePatternFilter(ResourceType.TOPIC, null, PatternType.LITERAL), AccessControlEntryFilter.ANY);

    private final Admin sourceAdmin;
    private final Admin destinationAdmin;
    private final ClusterAccess sourceAccess;
    private final ClusterAccess destinationAccess;

    /** An ACL sync from the source to the destination cluster, through their admin clients. */
    public AclSync(Admin sourceAdmin, Admin destinationAdmin, ClusterAccess sourceAccess, ClusterAccess destinationAccess) {
        this.sourceAdmin = sourceAdmin;
        this.destinationAdmin = destinationAdmin;
        this.sourceAccess = sourceAccess;
        this.destinationAccess = destinationAccess;
    }

    /**
     * Creates on the destination the copies of the source ACLs that it lacks.
     *
     * @param destinationOf the topics mirrored now: each source topic's destination topic
     * @throws KafkaException naming the side that refused or has no authorizer; a timeout is transient
     */
    public void sync(Map<String, String> destinationOf) throws InterruptedException {
        if (destinationOf.isEmpty()) {
            return;
        }
        Set<AclBinding> wanted = new HashSet<>();
        for (AclBinding acl : describe(sourceAdmin, sourceAccess)) {
            String destination = destinationOf.get(acl.pattern().name());
            AclOperation operation = copiedOperation(acl.entry().operation());
            if (destination != null && operation != null) {
                AccessControlEntry entry = acl.entry();
                wanted.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, destination, PatternType.LITERAL),
                        new AccessControlEntry(entry.principal(), entry.host(), operation, entry.permissionType())));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        wanted.removeAll(describe(destinationAdmin, destinationAccess));
        if (wanted.isEmpty()) {
            return;
        }
        List<AclBinding> missing = new ArrayList<>(wanted);
        try {
            AdminCalls.get(destinationAdmin.createAcls(missing).all(), "creating ACLs on the destination");
        } catch (KafkaException e) {
            throw named(e, destinationAccess, "ALTER on the cluster");
        }
        missing.forEach(acl -> log.info("Synced ACL to destination topic {}: {} {} {} from host {}", acl.pattern().name(),
                acl.entry().permissionType(), acl.entry().principal(), acl.entry().operation(), acl.entry().host()));
    }

    /** READ and DESCRIBE as they are, ALL as READ; null for what is never copied. */
    static AclOperation copiedOperation(AclOperation operation) {
        return switch (operation) {
            case READ, DESCRIBE -> operation;
            case ALL -> AclOperation.READ;
            default -> null;
        };
    }

    private static Collection<AclBinding> describe(Admin admin, ClusterAccess access) throws InterruptedException {
        try {
            return AdminCalls.get(admin.describeAcls(LITERAL_TOPIC_ACLS).values(), "describing the " + access + "'s topic ACLs");
        } catch (KafkaException e) {
            throw named(e, access, "DESCRIBE on the cluster");
        }
    }

    private static RuntimeException named(KafkaException e, ClusterAccess access, String needed) {
        if (e.getCause() instanceof SecurityDisabledException) {
            return new KafkaException("syncAcls(true), but the " + access + " has no authorizer (authorizer.class.name):"
                    + " there are no ACLs to sync; turn syncAcls off for this pair of clusters", e.getCause());
        }
        return access.named(e, needed);
    }
}

package io.kmirror.testkit.internal;

import io.kmirror.testkit.TestKafkaCluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePattern;

/** Creates ALLOW ACLs through a cluster's admin client and waits until its brokers apply them. */
public final class AclGrants {

    private AclGrants() {
    }

    /**
     * Allows {@code principal} the operations on the resource, from any host, and returns once
     * {@code describeAcls} (answered by a broker's authorizer) lists every one of them.
     *
     * @param cluster the cluster
     * @param principal e.g. {@code User:alice}
     * @param resource the resource, e.g. a topic, a prefix of topics, a group
     * @param operations at least one
     * @throws IllegalArgumentException if no operation is given
     * @throws org.apache.kafka.common.errors.TimeoutException if the brokers do not apply them within the wait timeout
     */
    public static void allow(TestKafkaCluster cluster, String principal, ResourcePattern resource, AclOperation... operations) {
        Objects.requireNonNull(resource, "resource must not be null");
        if (operations.length == 0) {
            throw new IllegalArgumentException("allow(..) needs at least one operation");
        }
        List<AclBinding> acls = new ArrayList<>();
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
        KafkaCalls.get(cluster.admin().createAcls(acls).all(), "create ACLs " + acls, cluster.waitTimeout());
        KafkaCalls.awaitCondition(() -> new HashSet<>(KafkaCalls.get(cluster.admin().describeAcls(AclBindingFilter.ANY).values(),
                "describe ACLs", cluster.waitTimeout())).containsAll(Set.copyOf(acls)),
                "the brokers to apply ACLs " + acls, cluster.waitTimeout());
    }
}

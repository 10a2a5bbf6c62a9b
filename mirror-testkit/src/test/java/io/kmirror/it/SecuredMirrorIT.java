package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.testkit.MirrorAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.ClusterAccessException;
import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorBuilder;
import io.kmirror.TopicErrorPolicy;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import io.kmirror.testkit.Cluster;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.MirrorEventLog;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Secured clusters through real brokers: a SASL/SCRAM source and a mutual-TLS destination, the mirror's
 * principal holding exactly the ACLs the README lists. Refusals fail the mirror within seconds naming
 * the side, and no secret shows in any log line, exception or event.
 */
@MirrorClusters(source = @Cluster(saslScram = {"mirror=" + SecuredMirrorIT.SOURCE_PASSWORD, "reader=reader-password"}),
        destination = @Cluster(ssl = true))
class SecuredMirrorIT {

    static final String SOURCE_PASSWORD = "s0urce-Passw0rd-of-the-mirror";
    private static final String WRONG_PASSWORD = "Wr0ng-Passw0rd-typed-by-hand";
    private static final String MIRROR = "mirror";
    /** What the issue asks: a refused login fails the mirror within this, not after a retry loop. */
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(10);

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    SecuredMirrorIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @ParameterizedTest
    @EnumSource(DeliveryGuarantee.class)
    void mirrorsTheWalkthrough_fromScramToMutualTls_withTheDocumentedAcls(DeliveryGuarantee guarantee) throws Exception {
        String topic = Topics.unique("testtopic");
        String group = Topics.unique("mirrorgroup");
        grantMirror(topic, topic, group, guarantee);
        source.createTopic(topic, 8);
        source.produceKeyed(topic, 20_000, 1_000, 42);

        try (Mirror mirror = mirror(source.clientConfig(MIRROR), destination.clientConfig(MIRROR), topic, group)
                .guarantee(guarantee).streams(4).build()) {
            mirror.start();
            assertThat(mirror).hasCaughtUp(WAIT).hasMirrored(20_000);
        }

        assertThat(destination).topic(topic).hasPartitionCount(8).containsExactlyRecordsOf(source.topic(topic));
    }

    @Test
    void wrongSourcePassword_failsWithinSecondsNamingTheSourceAndPrincipal_andShowsNoSecret() throws Exception {
        String topic = Topics.unique("testtopic");
        source.createTopic(topic, 1);
        Map<String, Object> wrong = source.clientConfig(MIRROR);
        wrong.put("sasl.jaas.config", wrong.get("sasl.jaas.config").toString().replace(SOURCE_PASSWORD, WRONG_PASSWORD));
        MirrorEventLog events = new MirrorEventLog();

        try (CapturedLogs logs = CapturedLogs.capture()) {
            MirrorBuilder builder = mirror(wrong, destination.clientConfig(MIRROR), topic, Topics.unique("group")).listener(events);
            try (Mirror mirror = builder.build()) {
                mirror.start();
                assertThat(mirror).eventually(FAILS_WITHIN).hasFailed().isInstanceOf(ClusterAccessException.class)
                        .hasMessageStartingWith("source cluster: authentication of User:mirror (SASL_PLAINTEXT) failed:")
                        .hasMessageContaining("Check the credentials in the source configuration");
                ClusterAccessException failure = (ClusterAccessException) mirror.failure().orElseThrow();
                assertThat(failure.side()).isEqualTo(ClusterAccessException.Side.SOURCE);
                assertThat(failure.principal()).contains("User:mirror");
                assertThat(failure.denied()).isEqualTo("authentication");
                assertShowsNoSecret(logs, builder, mirror, events, WRONG_PASSWORD, SOURCE_PASSWORD);
            }
        }
    }

    @Test
    void wrongDestinationKeyStorePassword_failsWithinSecondsNamingTheDestination_andShowsNoSecret() throws Exception {
        String topic = Topics.unique("testtopic");
        source.createTopic(topic, 1);
        Map<String, Object> wrong = destination.clientConfig(MIRROR);
        String keyStorePassword = wrong.get("ssl.keystore.password").toString();
        wrong.put("ssl.keystore.password", WRONG_PASSWORD);
        MirrorEventLog events = new MirrorEventLog();

        try (CapturedLogs logs = CapturedLogs.capture()) {
            MirrorBuilder builder = mirror(source.clientConfig(MIRROR), wrong, topic, Topics.unique("group")).listener(events);
            try (Mirror mirror = builder.build()) {
                mirror.start();
                assertThat(mirror).eventually(FAILS_WITHIN).hasFailed()
                        .hasMessageStartingWith("destination cluster: cannot create a client with the destination configuration:")
                        .hasMessageContaining("keystore password was incorrect");
                assertShowsNoSecret(logs, builder, mirror, events, WRONG_PASSWORD, keyStorePassword, SOURCE_PASSWORD);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DeliveryGuarantee.class)
    void noWritePermissionOnTheDestinationTopic_failsNamingTopicAndOperation_committingNothing(DeliveryGuarantee guarantee)
            throws Exception {
        String topic = Topics.unique("orders");
        String group = Topics.unique("group");

        assertThat(failureWithout(AclOperation.WRITE, topic, group, guarantee, WAIT, builder -> builder))
                .isInstanceOf(ClusterAccessException.class)
                .hasMessageStartingWith("destination cluster: User:CN=mirror (SSL) is not allowed WRITE on topic " + topic + ":")
                .hasMessageContaining("TopicAuthorizationException");
        // at-least-once pins where a new partition starts (offset 0 here) with its first commit; no record is committed
        assertThat(source.committedOffsets(group).values()).as("offsets committed to the source group").allMatch(offset -> offset == 0);
    }

    @Test
    void exactlyOnceWithoutReadOnTheDestinationTopic_failsNamingIt_insteadOfRetryingForever() throws Exception {
        String topic = Topics.unique("orders");

        // the producer reports this refusal of its offset commit only in words ("Unexpected error in
        // TxnOffsetCommitResponse: Topic authorization failed."): it was retried as if transient before
        assertThat(failureWithout(AclOperation.READ, topic, Topics.unique("group"), DeliveryGuarantee.EXACTLY_ONCE, WAIT,
                builder -> builder)).isInstanceOf(ClusterAccessException.class)
                .hasMessageStartingWith("destination cluster: User:CN=mirror (SSL) is not allowed READ on topic " + topic + ":");
        assertThat(destination.readAll(topic)).as("records committed on the destination").isEmpty();
    }

    @Test
    void noReadOnTheSourceGroup_failsNamingTheSourceAndTheGroup() throws Exception {
        String topic = Topics.unique("orders");
        String group = Topics.unique("group");
        grantMirror(topic, topic, "another-" + group, DeliveryGuarantee.AT_LEAST_ONCE);
        source.createTopic(topic, 1);

        try (Mirror mirror = mirror(source.clientConfig(MIRROR), destination.clientConfig(MIRROR), topic, group).build()) {
            mirror.start();
            assertThat(mirror).eventually(FAILS_WITHIN).hasFailed().isInstanceOf(ClusterAccessException.class)
                    .hasMessageStartingWith("source cluster: User:mirror (SASL_PLAINTEXT) is not allowed READ on group " + group + ":")
                    .hasMessageContaining("GroupAuthorizationException");
        }
    }

    @Test
    void noCreatePermission_failsTheMirrorEvenWhenTopicErrorsSkipTheTopic() throws Exception {
        String topic = Topics.unique("orders");

        assertThat(failureWithout(AclOperation.CREATE, topic, Topics.unique("group"), DeliveryGuarantee.AT_LEAST_ONCE, FAILS_WITHIN,
                builder -> builder.onTopicError(TopicErrorPolicy.SKIP_TOPIC))).isInstanceOf(ClusterAccessException.class)
                .hasMessageStartingWith("destination cluster: User:CN=mirror (SSL) is not allowed CREATE on topic " + topic + ":");
    }

    @Test
    void syncAcls_copiesReadAndDescribeOfMirroredTopicsToTheirRenamedDestinations_neverWrite() throws Exception {
        String topic = Topics.unique("payments");
        String renamed = "copy-" + topic;
        String group = Topics.unique("group");
        grantMirror(topic, renamed, group, DeliveryGuarantee.AT_LEAST_ONCE);
        source.allow(MIRROR, new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), AclOperation.DESCRIBE);
        destination.allow(MIRROR, new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                AclOperation.DESCRIBE, AclOperation.ALTER);
        source.createTopic(topic, 1);
        ResourcePattern sourceTopic = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
        source.allow("reader", sourceTopic, AclOperation.READ, AclOperation.WRITE);
        source.allow("auditor", sourceTopic, AclOperation.ALL);

        try (Mirror mirror = mirror(source.clientConfig(MIRROR), destination.clientConfig(MIRROR), topic, group)
                .topicNaming(TopicNaming.prefix("copy-")).syncAcls(true).build()) {
            mirror.start();
            assertThat(mirror).eventually(WAIT).isRunning();
            // synced right after the topic is mirrored: RUNNING (streams assigned) does not wait for it
            await("the source topic's ACLs on the destination", () -> destinationAcls(renamed).size() >= 2);
            assertThat(destinationAcls(renamed)).containsExactlyInAnyOrder("User:reader READ ALLOW", "User:auditor READ ALLOW");

            source.allow("analyst", sourceTopic, AclOperation.DESCRIBE);
            await("the ACL added at the source on the destination", () -> destinationAcls(renamed).contains("User:analyst DESCRIBE ALLOW"));
            assertThat(mirror.state()).isEqualTo(io.kmirror.MirrorState.RUNNING);
        }
        assertThat(destinationAcls(renamed)).containsExactlyInAnyOrder(
                "User:reader READ ALLOW", "User:auditor READ ALLOW", "User:analyst DESCRIBE ALLOW");
    }

    /**
     * Mirrors a new topic of 100 records with the documented ACLs but {@code withheld} on the destination topic,
     * and returns the failure the mirror stops with within {@code within}.
     */
    private Throwable failureWithout(AclOperation withheld, String topic, String group, DeliveryGuarantee guarantee,
            Duration within, UnaryOperator<MirrorBuilder> more) throws Exception {
        grantMirror(topic, topic, group, guarantee, withheld);
        source.createTopic(topic, 2);
        source.produceKeyed(topic, 100, 10, 1);
        try (Mirror mirror = more.apply(mirror(source.clientConfig(MIRROR), destination.clientConfig(MIRROR), topic, group)
                .guarantee(guarantee)).build()) {
            mirror.start();
            assertThat(mirror).eventually(within).hasFailed();
            return mirror.failure().orElseThrow();
        }
    }

    /** A mirror that looks for topics every second, as the fault tests' mirrors do. */
    private static MirrorBuilder mirror(Map<String, Object> sourceConfig, Map<String, Object> destinationConfig, String topic,
            String group) {
        return Mirror.builder().source(sourceConfig).destination(destinationConfig).topics(TopicFilter.include(topic))
                .groupId(group).topicRefreshInterval(Duration.ofSeconds(1)).offsetCommitInterval(Duration.ofMillis(200));
    }

    /**
     * Grants the mirror's principals the ACLs the README's "Secured clusters" section lists for {@code guarantee},
     * for source topics starting with {@code sourcePrefix}, destination topics starting with {@code destinationPrefix}
     * and group {@code group}; all but {@code withheld} on the destination topics.
     */
    private void grantMirror(String sourcePrefix, String destinationPrefix, String group, DeliveryGuarantee guarantee,
            AclOperation... withheld) {
        source.allow(MIRROR, new ResourcePattern(ResourceType.TOPIC, sourcePrefix, PatternType.PREFIXED),
                AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        source.allow(MIRROR, new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL), AclOperation.READ);
        List<AclOperation> topicOperations = new ArrayList<>(List.of(AclOperation.CREATE, AclOperation.WRITE, AclOperation.DESCRIBE,
                AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS));
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            topicOperations.add(AclOperation.READ); // the transactions commit offsets keyed by destination partitions
        }
        topicOperations.removeAll(Arrays.asList(withheld));
        destination.allow(MIRROR, new ResourcePattern(ResourceType.TOPIC, destinationPrefix, PatternType.PREFIXED),
                topicOperations.toArray(AclOperation[]::new));
        for (String own : List.of("__kmirror-topics", "__kmirror-offsets")) {
            destination.allow(MIRROR, new ResourcePattern(ResourceType.TOPIC, own, PatternType.LITERAL),
                    AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE);
        }
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            destination.allow(MIRROR, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "kmirror-" + group + "-",
                    PatternType.PREFIXED), AclOperation.WRITE, AclOperation.DESCRIBE);
            destination.allow(MIRROR, new ResourcePattern(ResourceType.GROUP, "kmirror-offsets-" + group, PatternType.LITERAL),
                    AclOperation.READ);
        }
    }

    /** The destination's ACLs on exactly this topic, each as "principal operation permission". */
    private Set<String> destinationAcls(String topic) {
        AclBindingFilter filter = new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, topic, PatternType.LITERAL),
                AccessControlEntryFilter.ANY);
        try {
            return destination.admin().describeAcls(filter).values().get().stream().map(AclBinding::entry)
                    .map(e -> e.principal() + " " + e.operation() + " " + e.permissionType())
                    .collect(java.util.stream.Collectors.toSet());
        } catch (Exception e) {
            throw new AssertionError("cannot describe the destination's ACLs of " + topic, e);
        }
    }

    /** No secret in a log line, the failure (its causes and stack), an event, the builder or the mirror as text. */
    private static void assertShowsNoSecret(CapturedLogs logs, MirrorBuilder builder, Mirror mirror, MirrorEventLog events,
            String... secrets) {
        Map<String, String> texts = new HashMap<>();
        List<String> lines = logs.lines();
        assertThat(lines).as("captured log lines").isNotEmpty();
        for (int i = 0; i < lines.size(); i++) {
            texts.put("log line " + i, lines.get(i));
        }
        Throwable failure = mirror.failure().orElseThrow();
        java.io.StringWriter trace = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(trace));
        texts.put("failure with its causes", trace.toString());
        for (Throwable t = failure; t != null; t = t.getCause()) {
            texts.put("failure " + t.getClass().getSimpleName() + ".toString()", t.toString());
        }
        texts.put("events", events.format());
        texts.put("builder", builder.toString());
        texts.put("effective configs", builder.effectiveConfigs().toString());
        texts.put("mirror", mirror.toString());
        texts.put("health", mirror.health().toString());
        for (String secret : secrets) {
            texts.forEach((where, text) -> assertThat(text).as(where).doesNotContain(secret));
        }
        assertThat(texts.get("effective configs")).contains("sasl.jaas.config=[hidden]");
    }
}

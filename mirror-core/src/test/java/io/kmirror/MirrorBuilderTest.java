package io.kmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class MirrorBuilderTest {

    private static MirrorBuilder valid() {
        return Mirror.builder()
                .source(Map.of("bootstrap.servers", "source:9092"))
                .destination(Map.of("bootstrap.servers", "destination:9092"))
                .topics(TopicFilter.include("orders.*"));
    }

    private static List<String> problems(MirrorBuilder builder) {
        return configProblems(builder).stream().map(ConfigProblem::toString).toList();
    }

    private static List<ConfigProblem> configProblems(MirrorBuilder builder) {
        try {
            builder.build();
        } catch (MirrorConfigException e) {
            return e.configProblems();
        }
        throw new AssertionError("build() accepted " + builder);
    }

    @Test
    void groupSync_badGroupRegex_andSyncWithoutTheOffsetMap_areReported() {
        assertThat(problems(valid().syncGroupOffsets(GroupFilter.include("orders-(")).groupSyncInterval(Duration.ZERO)))
                .anySatisfy(p -> assertThat(p).startsWith("syncGroupOffsets: include regex 'orders-(' does not compile"))
                .anySatisfy(p -> assertThat(p).startsWith("groupSyncInterval"));
        assertThat(problems(valid().syncGroupOffsets(GroupFilter.all()).offsetTranslation(false)))
                .anySatisfy(p -> assertThat(p).contains("syncGroupOffsets: needs the offset map"));
        assertThat(valid().syncGroupOffsets(GroupFilter.include("orders-.*").exclude("orders-audit")).toString())
                .contains("syncGroupOffsets=include(\"orders-.*\") exclude(\"orders-audit\")");
    }

    @Test
    void validSettings_buildACreatedMirror() {
        try (Mirror mirror = valid().streams(4).groupId("mirrorgroup").build()) {
            assertThat(mirror.state()).isEqualTo(MirrorState.CREATED);
        }
    }

    @Test
    void missingBootstrapServers_namesTheKeyOnEachSide() {
        assertThat(problems(valid().source(Map.of()).destination(Map.of("acks", "all"))))
                .anySatisfy(p -> assertThat(p).startsWith("source: 'bootstrap.servers' is missing"))
                .anySatisfy(p -> assertThat(p).startsWith("destination: 'bootstrap.servers' is missing"));
    }

    @Test
    void zookeeperConnect_explainsThatZooKeeperConsumersAreGone() {
        assertThat(problems(valid().source(Map.of("zookeeper.connect", "localhost:2181", "group.id", "mirrorgroup"))))
                .singleElement().asString()
                .contains("'zookeeper.connect' is set but 'bootstrap.servers' is not")
                .contains("add bootstrap.servers=");
    }

    @Test
    void streamsBelowOne_isRejected() {
        assertThat(problems(valid().streams(0))).containsExactly(
                "streams: must be at least 1, was 0; each stream is one consumer thread");
    }

    @Test
    void maxOpenTransactionsBelowTheStreams_isRejected_sayingEachStreamNeedsOne() {
        assertThat(problems(valid().guarantee(DeliveryGuarantee.EXACTLY_ONCE).streams(4).maxOpenTransactions(3))).containsExactly(
                "maxOpenTransactions: must be 0 (as many as half the heap holds) or at least streams (4): each stream needs a"
                        + " producer of its own, was 3");
        assertThat(problems(valid().guarantee(DeliveryGuarantee.EXACTLY_ONCE).maxOpenTransactions(-1))).singleElement().asString()
                .startsWith("maxOpenTransactions: must be 0");
    }

    @Test
    void transactionSlots_outOfRange_withoutExactlyOnce_orWithAnotherAssignorOrGroupProtocol_areRejected_namingTheKey() {
        MirrorBuilder eos = valid().guarantee(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(problems(valid().transactionSlots(8))).containsExactly("transactionSlots: applies to EXACTLY_ONCE only (an"
                + " at-least-once stream has one producer already); remove transactionSlots or use EXACTLY_ONCE");
        assertThat(problems(eos.transactionSlots(-1))).singleElement().asString()
                .startsWith("transactionSlots: must be 0 (a producer per source partition) or 1 to 4096, was -1");
        assertThat(problems(valid().guarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionSlots(8)
                .source(Map.of("bootstrap.servers", "s:1", "group.protocol", "consumer")))).singleElement().asString()
                .contains("needs the classic consumer group protocol").contains("group.protocol=consumer");
        assertThat(problems(valid().guarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionSlots(8)
                .source(Map.of("bootstrap.servers", "s:1", "partition.assignment.strategy", "range")))).singleElement().asString()
                .contains("sets partition.assignment.strategy");
    }

    @Test
    void transactionSlots_giveTheConsumersKmirrorsAssignor() {
        EffectiveConfigs configs = valid().guarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionSlots(16).effectiveConfigs();
        assertThat(configs.consumer()).contains(new EffectiveConfigs.Entry("partition.assignment.strategy",
                "io.kmirror.internal.stream.SlotAssignor", EffectiveConfigs.Origin.KMIRROR));
    }

    @Test
    void noTopicFilter_isRejected() {
        MirrorBuilder builder = Mirror.builder()
                .source(Map.of("bootstrap.servers", "source:9092"))
                .destination(Map.of("bootstrap.servers", "destination:9092"));
        assertThat(problems(builder)).singleElement().asString().startsWith("topics: no topic filter");
    }

    @Test
    void nonByteArraySerdes_areRejectedNamingTheKey() {
        Map<String, Object> source = new HashMap<>(Map.of("bootstrap.servers", "source:9092"));
        source.put("value.deserializer", StringDeserializer.class);
        Map<String, Object> destination = new HashMap<>(Map.of("bootstrap.servers", "destination:9092"));
        destination.put("key.serializer", StringSerializer.class.getName());
        assertThat(problems(valid().source(source).destination(destination)))
                .anySatisfy(p -> assertThat(p).contains("'value.deserializer=" + StringDeserializer.class.getName() + "'"))
                .anySatisfy(p -> assertThat(p).contains("'key.serializer=" + StringSerializer.class.getName() + "'"));
    }

    @Test
    void byteArraySerdes_areAccepted() {
        Map<String, Object> source = Map.of("bootstrap.servers", "s:1",
                "key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        valid().source(source).build().close();
    }

    @Test
    void sameBootstrapServersWithIdentityNaming_isAnEndlessLoop() {
        MirrorBuilder builder = valid()
                .source(Map.of("bootstrap.servers", "b:9092, a:9092"))
                .destination(Map.of("bootstrap.servers", "A:9092,b:9092"));
        assertThat(problems(builder)).singleElement().asString().contains("endless loop");
        builder.topicNaming(TopicNaming.prefix("copy.")).build().close();
    }

    @Test
    void prefixNaming_ontoInternalOrIllegalNames_isRejected() {
        assertThat(problems(valid().topicNaming(TopicNaming.prefix("__mirror.")))).singleElement().asString()
                .startsWith("topicNaming: the prefix '__mirror.' gives every destination topic a name starting with '__'");
        assertThat(problems(valid().topicNaming(TopicNaming.prefix("eu:")))).singleElement().asString()
                .contains("contains ':', which Kafka does not allow in topic names");
    }

    @Test
    void groupIdAndGroupIdKey_areOneSetting() {
        assertThat(problems(valid().source(Map.of("bootstrap.servers", "s:1", "group.id", "a")).groupId("b")))
                .singleElement().asString().startsWith("groupId: groupId(\"b\") and the source's group.id=a disagree");
        valid().source(Map.of("bootstrap.servers", "s:1", "group.id", "a")).groupId("a").build().close();
    }

    @Test
    void autoCommit_isRejectedBecauseItWouldLoseRecords() {
        assertThat(problems(valid().source(Map.of("bootstrap.servers", "s:1", "enable.auto.commit", "true"))))
                .singleElement().asString().startsWith("source: 'enable.auto.commit=true'");
    }

    @Test
    void autoOffsetReset_isChecked_andOldZooKeeperNamesGetTheirNewName() {
        assertThat(problems(valid().source(Map.of("bootstrap.servers", "s:9092", "auto.offset.reset", "smallest"))))
                .containsExactly("source: 'auto.offset.reset=smallest' is the old ZooKeeper consumer's name; use earliest");
        assertThat(problems(valid().source(Map.of("bootstrap.servers", "s:9092", "auto.offset.reset", "by_duration:soon"))))
                .containsExactly("source: 'auto.offset.reset=by_duration:soon' has no ISO-8601 duration after by_duration:;"
                        + " write e.g. by_duration:PT1H");
        for (String accepted : List.of("earliest", "latest", "none", "by_duration:PT1H", "LATEST")) {
            try (Mirror mirror = valid().source(Map.of("bootstrap.servers", "s:9092", "auto.offset.reset", accepted)).build()) {
                assertThat(mirror.state()).as(accepted).isEqualTo(MirrorState.CREATED);
            }
        }
    }

    @Test
    void deliveryTimeoutThatIsNotANumber_isRejected() {
        assertThat(problems(valid().destination(Map.of("bootstrap.servers", "d:9092", "delivery.timeout.ms", "2min"))))
                .singleElement().asString().startsWith("destination: 'delivery.timeout.ms=2min' is not a number of milliseconds");
    }

    @Test
    void exactlyOnce_takesPausePartition_butNotSkip() {
        try (Mirror mirror = valid().guarantee(DeliveryGuarantee.EXACTLY_ONCE).onSendFailure(SendFailurePolicy.PAUSE_PARTITION)
                .onGap(GapPolicy.RECORD_AND_CONTINUE).build()) {
            assertThat(mirror.state()).isEqualTo(MirrorState.CREATED);
        }
        assertThat(problems(valid().guarantee(DeliveryGuarantee.EXACTLY_ONCE).onSendFailure(SendFailurePolicy.SKIP)))
                .singleElement().asString().startsWith("onSendFailure: SKIP cannot be combined with EXACTLY_ONCE");
    }

    @Test
    void everyProblem_isReportedAtOnce() {
        MirrorConfigException e = org.junit.jupiter.api.Assertions.assertThrows(MirrorConfigException.class,
                () -> Mirror.builder().source(Map.of()).streams(-1).offsetCommitInterval(Duration.ZERO)
                        .guarantee(DeliveryGuarantee.EXACTLY_ONCE).onSendFailure(SendFailurePolicy.SKIP).build());
        assertThat(e.configProblems()).extracting(ConfigProblem::setting).containsExactly(
                "source", "destination", "topics", "streams", "offsetCommitInterval", "onSendFailure");
        assertThat(e.getMessage()).startsWith("Invalid mirror configuration (6 problems):")
                .contains("source: 'bootstrap.servers' is missing")
                .contains("destination: not set")
                .contains("topics: no topic filter")
                .contains("streams: must be at least 1, was -1")
                .contains("offsetCommitInterval: must be positive")
                .contains("onSendFailure: SKIP cannot be combined with EXACTLY_ONCE");
    }

    @Test
    void exactlyOnce_withATransactionTimeoutWithinThreeCommitIntervals_isRejectedNamingBoth() {
        MirrorBuilder tooShort = valid().destination(Map.of("bootstrap.servers", "d:1", "transaction.timeout.ms", "250"))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(problems(tooShort)).containsExactly("destination: 'transaction.timeout.ms=250' is less than three times"
                + " transactionCommitInterval (100 ms): a transaction stays open for an interval and then commits, and the"
                + " destination aborts one older than transaction.timeout.ms; raise transaction.timeout.ms (the producer's"
                + " default is 60000) or shorten transactionCommitInterval");
        assertThat(problems(valid().destination(Map.of("bootstrap.servers", "d:1", "transaction.timeout.ms", "1 minute"))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE))).singleElement().asString()
                .startsWith("destination: 'transaction.timeout.ms=1 minute' is not a number of milliseconds");
        try (Mirror mirror = tooShort.transactionCommitInterval(Duration.ofMillis(50)).build()) {
            assertThat(mirror.state()).isEqualTo(MirrorState.CREATED);
        }
    }

    @Test
    void exactlyOnce_withAProducerThatCannotBeTransactional_namesTheKey() {
        Map<String, Object> destination = Map.of("bootstrap.servers", "d:1", "enable.idempotence", "false", "acks", "1");
        assertThat(problems(valid().destination(destination).guarantee(DeliveryGuarantee.EXACTLY_ONCE)))
                .containsExactly(
                        "destination: 'enable.idempotence=false' cannot be combined with EXACTLY_ONCE, which needs an"
                                + " idempotent transactional producer; remove the key",
                        "destination: 'acks=1' cannot be combined with EXACTLY_ONCE, which needs acks=all;"
                                + " remove the key or set acks=all");
        assertThat(problems(valid().destination(Map.of("bootstrap.servers", "d:1", "transactional.id", "mine"))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE)))
                .singleElement().asString().startsWith("destination: 'transactional.id' is set; remove it");
        valid().guarantee(DeliveryGuarantee.EXACTLY_ONCE).build().close();
    }

    @Test
    void problems_tellTheSettingKeyValueMessageAndFix_apart() {
        Map<String, Object> source = Map.of("zookeeper.connect", "zk:2181", "enable.auto.commit", "true");
        assertThat(configProblems(valid().source(source).streams(0))).containsExactly(
                new ConfigProblem("source", "bootstrap.servers", null,
                        "'zookeeper.connect' is set but 'bootstrap.servers' is not",
                        "ZooKeeper-based consumers are gone from Kafka (current clients talk to the brokers): add"
                                + " bootstrap.servers=<source broker host:port> and remove zookeeper.connect"),
                new ConfigProblem("source", "enable.auto.commit", "true",
                        "'enable.auto.commit=true' would commit offsets before the destination acknowledged the records"
                                + " (records lost on a crash)",
                        "remove it: the mirror commits only what the destination acknowledged"),
                new ConfigProblem("streams", null, "0", "must be at least 1, was 0", "each stream is one consumer thread"));
        assertThat(configProblems(valid().topics(TopicFilter.include("orders("))))
                .singleElement().satisfies(p -> {
                    assertThat(p.setting()).isEqualTo("topics");
                    assertThat(p.value()).isEqualTo("orders(");
                    assertThat(p.fix()).isEqualTo("fix the regex (Java syntax, matched against the whole topic name)");
                });
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedLines_areTheProblemsAsText() {
        MirrorConfigException e = new MirrorConfigException(List.of(ConfigProblem.of("streams", 0, "must be at least 1", "")));
        assertThat(e.problems()).containsExactly("streams: must be at least 1");
        assertThat(new MirrorConfigException("plain text").configProblems())
                .containsExactly(new ConfigProblem("", null, null, "plain text", ""));
        assertThat(new MirrorConfigException("plain text").getMessage()).isEqualTo("Invalid mirror configuration: plain text");
    }

    @Test
    void effectiveConfigs_markKmirrorsDefaults_keepTheUsersKeys_andMaskPasswordTypedKeys() {
        Map<String, Object> source = new HashMap<>(Map.of("bootstrap.servers", "s:1", "group.id", "mirrorgroup",
                "auto.offset.reset", "latest", "sasl.jaas.config", "secret-jaas", "ssl.truststore.password", "pw1",
                "my.password.hint", "not-a-kafka-key"));
        Map<String, Object> destination = Map.of("bootstrap.servers", "d:1", "ssl.key.password", "pw2", "linger.ms", "20");

        EffectiveConfigs configs = valid().source(source).destination(destination).effectiveConfigs();

        assertThat(configs.consumer()).contains(
                new EffectiveConfigs.Entry("auto.offset.reset", "latest", EffectiveConfigs.Origin.USER),
                new EffectiveConfigs.Entry("isolation.level", "read_committed", EffectiveConfigs.Origin.KMIRROR_DEFAULT),
                new EffectiveConfigs.Entry("metadata.max.age.ms", "30000", EffectiveConfigs.Origin.KMIRROR_DEFAULT),
                new EffectiveConfigs.Entry("group.id", "mirrorgroup", EffectiveConfigs.Origin.USER),
                new EffectiveConfigs.Entry("enable.auto.commit", "false", EffectiveConfigs.Origin.KMIRROR),
                new EffectiveConfigs.Entry("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer",
                        EffectiveConfigs.Origin.KMIRROR),
                new EffectiveConfigs.Entry("client.id", "kmirror-mirrorgroup-stream-0", EffectiveConfigs.Origin.KMIRROR),
                new EffectiveConfigs.Entry("sasl.jaas.config", "[hidden]", EffectiveConfigs.Origin.USER),
                new EffectiveConfigs.Entry("ssl.truststore.password", "[hidden]", EffectiveConfigs.Origin.USER),
                new EffectiveConfigs.Entry("my.password.hint", "not-a-kafka-key", EffectiveConfigs.Origin.USER));
        assertThat(configs.producer()).contains(
                new EffectiveConfigs.Entry("acks", "all", EffectiveConfigs.Origin.KMIRROR_DEFAULT),
                new EffectiveConfigs.Entry("linger.ms", "20", EffectiveConfigs.Origin.USER),
                new EffectiveConfigs.Entry("ssl.key.password", "[hidden]", EffectiveConfigs.Origin.USER),
                new EffectiveConfigs.Entry("client.id", "kmirror-mirrorgroup-producer-0", EffectiveConfigs.Origin.KMIRROR));
        assertThat(configs.sourceAdmin()).extracting(EffectiveConfigs.Entry::key)
                .contains("bootstrap.servers", "sasl.jaas.config", "client.id").doesNotContain("group.id", "auto.offset.reset");
        assertThat(configs.consumer()).extracting(EffectiveConfigs.Entry::key).isSorted();
        assertThat(configs.toString()).doesNotContain("secret-jaas", "pw1", "pw2");
    }

    @Test
    void effectiveConfigs_ofExactlyOnce_showTheTransactionalProducer() {
        EffectiveConfigs configs = valid().groupId("g").guarantee(DeliveryGuarantee.EXACTLY_ONCE).effectiveConfigs();
        assertThat(configs.producer()).contains(
                new EffectiveConfigs.Entry("transactional.id", "kmirror-g-<topic>-<partition>", EffectiveConfigs.Origin.KMIRROR));
    }

    @Test
    void effectiveConfigs_sizeBuffersFromTheHeap_unlessTheUserSetThem() {
        long quarterPerStreamHalf = Runtime.getRuntime().maxMemory() / 4 / 2 / 2;
        long fetch = Math.max(1 << 20, Math.min(50L << 20, quarterPerStreamHalf));
        EffectiveConfigs configs = valid().streams(2).effectiveConfigs();
        assertThat(configs.consumer()).contains(
                new EffectiveConfigs.Entry("fetch.max.bytes", Long.toString(fetch), EffectiveConfigs.Origin.KMIRROR_DEFAULT));
        assertThat(configs.producer()).extracting(EffectiveConfigs.Entry::key).contains("buffer.memory");

        EffectiveConfigs chosen = valid().source(Map.of("bootstrap.servers", "s:1", "fetch.max.bytes", "1000000"))
                .destination(Map.of("bootstrap.servers", "d:1", "buffer.memory", "2000000")).effectiveConfigs();
        assertThat(chosen.consumer()).contains(new EffectiveConfigs.Entry("fetch.max.bytes", "1000000", EffectiveConfigs.Origin.USER));
        assertThat(chosen.producer()).contains(new EffectiveConfigs.Entry("buffer.memory", "2000000", EffectiveConfigs.Origin.USER));
    }

    @Test
    void effectiveConfigs_ofExactlyOnce_giveEachPartitionsProducerSmallBatchesAndBuffer() {
        EffectiveConfigs configs = valid().guarantee(DeliveryGuarantee.EXACTLY_ONCE).effectiveConfigs();
        assertThat(configs.producer()).contains(
                new EffectiveConfigs.Entry("batch.size", "65536", EffectiveConfigs.Origin.KMIRROR_DEFAULT),
                new EffectiveConfigs.Entry("buffer.memory", Long.toString((1 << 20) + 65536), EffectiveConfigs.Origin.KMIRROR_DEFAULT));
    }

    @Test
    void effectiveConfigs_ofAnInvalidBuilder_throwLikeBuild() {
        assertThatThrownBy(() -> valid().streams(0).effectiveConfigs()).isInstanceOf(MirrorConfigException.class)
                .hasMessageContaining("streams: must be at least 1");
    }

    @Test
    void toString_listsOnlyWhatWasSet_withSecretsMasked() {
        String described = valid()
                .source(Map.of("bootstrap.servers", "s:1", "sasl.jaas.config", "secret-value", "ssl.key.password", "pw"))
                .streams(3)
                .toString();
        assertThat(described).contains("streams=3").contains("[hidden]")
                .doesNotContain("secret-value").doesNotContain("=pw").doesNotContain("groupId");
    }

    @Test
    void nullArguments_failAtTheCall() {
        assertThatThrownBy(() -> Mirror.builder().topics(null)).isInstanceOf(NullPointerException.class).hasMessage("filter");
    }

    @Test
    void startFromAndAutoOffsetReset_together_areAConflictNamingBoth() {
        assertThat(problems(valid().source(Map.of("bootstrap.servers", "s:1", "auto.offset.reset", "earliest"))
                .startFrom(StartPosition.latest()))).singleElement().asString()
                .contains("startFrom(latest())").contains("auto.offset.reset=earliest").contains("keep one of them");
    }

    @Test
    void startFrom_isWhatTheEffectiveConfigsShowAsTheStartOfPartitionsWithoutOffsets() {
        assertThat(valid().startFrom(StartPosition.latest()).effectiveConfigs().consumer())
                .contains(new EffectiveConfigs.Entry("auto.offset.reset", "latest", EffectiveConfigs.Origin.KMIRROR_DEFAULT));
        assertThat(valid().startFrom(StartPosition.latest()).toString()).contains("startFrom=latest()");
    }

    @Test
    void aNegativeThrottle_isRejected() {
        assertThat(problems(valid().maxBytesPerSecond(-5))).containsExactly(
                "maxBytesPerSecond: must be 0 (no limit) or positive, was -5; use 0 for no limit");
    }

    @Test
    void steeringAMirrorThatStopped_failsNamingItsState_andBadArgumentsFailAtTheCall() {
        Mirror mirror = valid().build();
        mirror.pause("orders"); // before start: it will start with orders paused
        assertThat(mirror.pausedTopics()).containsExactly("orders");
        assertThatThrownBy(() -> mirror.pause("orders", " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> mirror.updateTopics(TopicFilter.include("orders[")))
                .isInstanceOf(MirrorConfigException.class).hasMessageContaining("topics");
        assertThatThrownBy(() -> mirror.maxBytesPerSecond(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBytesPerSecond");
        mirror.close();
        assertThatThrownBy(() -> mirror.resume("orders")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot resume topics: it is STOPPED");
        assertThatThrownBy(() -> mirror.updateTopics(TopicFilter.include("x"))).isInstanceOf(IllegalStateException.class);
    }
}

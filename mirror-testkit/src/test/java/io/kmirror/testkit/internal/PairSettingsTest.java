package io.kmirror.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmirror.testkit.Cluster;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.TestKafkaClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class PairSettingsTest {

    @MirrorClusters(brokers = 3, brokerConfig = {"a.b = 1", "c=x=y"}, perMethod = true, waitTimeoutSeconds = 5,
            destination = @Cluster(brokers = 1, brokerConfig = "a.b=2", waitTimeoutSeconds = 9, image = "apache/kafka:3.9.1"))
    static class Configured {
    }

    @MirrorClusters(brokerConfig = "no-equals-sign")
    static class Broken {
    }

    @MirrorClusters(source = @Cluster(brokers = -2))
    static class NegativeBrokers {
    }

    @MirrorClusters(source = @Cluster(saslScram = {"mirror=mirror-Passw0rd", "reader"}))
    static class UserWithoutPassword {
    }

    @MirrorClusters(source = @Cluster(saslScram = "mirror=mirror-Passw0rd"), destination = @Cluster(saslPlain = "app=a=b", ssl = true))
    static class Secured {
    }

    @Test
    void of_readsTheSecurityOfEachSide_showingNoPassword() {
        PairSettings settings = PairSettings.of(Secured.class.getAnnotation(MirrorClusters.class), Secured.class);

        assertThat(builder(settings, true).toString()).endsWith(", security=SASL/SCRAM users [mirror]}");
        assertThat(builder(settings, false).toString()).endsWith(", security=SASL/PLAIN users [app], TLS}").doesNotContain("a=b");
    }

    @Test
    void of_namesABadUserEntryByItsNumber_notByItsText() {
        assertThatThrownBy(() -> PairSettings.of(UserWithoutPassword.class.getAnnotation(MirrorClusters.class),
                UserWithoutPassword.class))
                .hasMessage("@MirrorClusters on " + UserWithoutPassword.class.getName() + ": source: saslScram entry number 2 is not"
                        + " user=password");
    }

    @Test
    void of_readsEveryAttribute_eachSideOverTheCommonOnes() {
        PairSettings settings = PairSettings.of(Configured.class.getAnnotation(MirrorClusters.class), Configured.class);

        assertThat(settings.perMethod()).isTrue();
        assertThat(builder(settings, true).toString()).isEqualTo("TestKafkaClusters.Builder{kind=configured,"
                + " brokers=3, brokerConfig={a.b=1, c=x=y}, waitTimeout=PT5S}");
        assertThat(builder(settings, false).toString()).isEqualTo("TestKafkaClusters.Builder{kind=CONTAINER,"
                + " image=apache/kafka:3.9.1, brokers=1, brokerConfig={a.b=2, c=x=y}, waitTimeout=PT9S}");
        assertThat(PairSettings.needsContainers(Configured.class.getAnnotation(MirrorClusters.class))).isTrue();
    }

    @Test
    void of_namesABadBrokerConfigEntry() {
        assertThatThrownBy(() -> PairSettings.of(Broken.class.getAnnotation(MirrorClusters.class), Broken.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@MirrorClusters on " + Broken.class.getName() + ": source: brokerConfig entry 'no-equals-sign' is not key=value");
    }

    @Test
    void of_checksASideAsEveryBuilderDoes() {
        assertThatThrownBy(() -> PairSettings.of(NegativeBrokers.class.getAnnotation(MirrorClusters.class), NegativeBrokers.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@MirrorClusters on " + NegativeBrokers.class.getName() + ": source: brokers must be at least 1, was -2");
    }

    private static TestKafkaClusters.Builder builder(PairSettings settings, boolean source) {
        TestKafkaClusters.Builder builder = TestKafkaClusters.builder();
        (source ? settings.source() : settings.destination()).accept(builder);
        return builder;
    }
}

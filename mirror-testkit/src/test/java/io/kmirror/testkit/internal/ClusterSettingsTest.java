package io.kmirror.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmirror.testkit.MirrorClusters;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    @MirrorClusters(brokers = 3, brokerConfig = {"a.b = 1", "c=x=y"}, perMethod = true, waitTimeoutSeconds = 5)
    static class Configured {
    }

    @MirrorClusters(brokerConfig = "no-equals-sign")
    static class Broken {
    }

    @Test
    void of_readsEveryAttribute() {
        ClusterSettings settings = ClusterSettings.of(Configured.class.getAnnotation(MirrorClusters.class), Configured.class);

        assertThat(settings).isEqualTo(new ClusterSettings(3, Map.of("a.b", "1", "c", "x=y"), true, Duration.ofSeconds(5)));
    }

    @Test
    void of_namesABadBrokerConfigEntry() {
        assertThatThrownBy(() -> ClusterSettings.of(Broken.class.getAnnotation(MirrorClusters.class), Broken.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@MirrorClusters on " + Broken.class.getName() + ": brokerConfig entry 'no-equals-sign' is not key=value");
    }
}

package io.kmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walkthrough with {@code --metrics.port}: Prometheus scrapes the mirror while it runs. */
@MirrorClusters
class MetricsEndpointIT {

    private static final Pattern ADDRESS = Pattern.compile("Metrics: Prometheus text at (http://localhost:\\d+/metrics)");
    private static final Pattern LAG = Pattern.compile("(?m)^kmirror_lag_records\\{[^}]*partition=\"(\\d+)\"[^}]*} (\\S+)$");
    private static final Pattern SECONDS_BEHIND = Pattern.compile("(?m)^kmirror_lag_seconds\\{[^}]*} (\\S+)$");

    @Test
    void metricsPort_servesPrometheusText_whoseLagFallsToZeroOnceTheWalkthroughIsMirrored(@Source TestKafkaCluster source,
            @Destination TestKafkaCluster destination, @TempDir Path dir) throws Exception {
        source.createTopic("testtopic", 8);
        source.produceKeyed("testtopic", 20_000, 50, 13); // written before the mirror starts: it begins behind
        Files.writeString(dir.resolve("consumer.properties"),
                "bootstrap.servers=" + source.bootstrapServers() + "\ngroup.id=metricsgroup\n");
        Files.writeString(dir.resolve("producer.properties"), "bootstrap.servers=" + destination.bootstrapServers() + "\n");

        try (KmirrorJar kmirror = KmirrorJar.start(dir, "--consumer.config", "consumer.properties", "--producer.config",
                "producer.properties", "--whitelist", "testtopic", "--num.streams", "4", "--metrics.port", "0")) {
            kmirror.awaitStdout("Metrics: Prometheus text at http://localhost:");
            Matcher address = ADDRESS.matcher(kmirror.stdout());
            assertThat(address.find()).as("the address line; output:%n%s", kmirror.output()).isTrue();
            URI metrics = URI.create(address.group(1));
            kmirror.awaitStdout("Running: 4 stream(s) joined group metricsgroup"); // no rebalance moves partitions from here on

            KmirrorJar.await("every partition's kmirror_lag_records and kmirror_lag_seconds at 0 on " + metrics, () -> {
                String text = scrape(metrics);
                List<String> lags = LAG.matcher(text).results().map(m -> m.group(2)).toList();
                List<String> behind = SECONDS_BEHIND.matcher(text).results().map(m -> m.group(1)).toList();
                return lags.size() == 8 && lags.stream().allMatch(v -> Double.parseDouble(v) == 0)
                        && behind.size() == 8 && behind.stream().allMatch(v -> Double.parseDouble(v) == 0);
            });
            String text = scrape(metrics);
            assertThat(text).contains("kmirror_records_mirrored_total{group=\"metricsgroup\"} 20000.0",
                    "kmirror_partitions{group=\"metricsgroup\"} 8.0", "kmirror_failed{group=\"metricsgroup\"} 0.0",
                    "kmirror_replication_latency_seconds{group=\"metricsgroup\",quantile=\"0.99\"}");
            assertThat(LAG.matcher(text).results().map(m -> m.group(1))).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5", "6", "7");

            kmirror.process().destroy();
            assertThat(kmirror.awaitExit(Duration.ofSeconds(45))).as("exit code; output:%n%s", kmirror.output()).isZero();
            assertThat(kmirror.stderr()).isEmpty();
        }
    }

    private static String scrape(URI metrics) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("cannot fetch " + metrics + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted fetching " + metrics, e);
        }
    }
}

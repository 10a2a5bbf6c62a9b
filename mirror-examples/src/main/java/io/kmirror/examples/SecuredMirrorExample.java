package io.kmirror.examples;

import io.kmirror.Mirror;
import io.kmirror.TopicFilter;
import java.util.Map;

/**
 * The README's example of a mirror between secured clusters, compiled so that it stays true: a source
 * with SASL/SCRAM over TLS, a destination with client certificates. The region between the
 * {@code snippet} markers is what README.md shows.
 */
public final class SecuredMirrorExample {

    private SecuredMirrorExample() {
    }

    /**
     * A mirror of {@code orders*} from an old cluster (SCRAM) to a new one (mutual TLS), not started.
     *
     * @param sourcePassword        the SCRAM password of user {@code mirror} on the old cluster
     * @param oldTrustStorePassword the password of the trust store with the old cluster's CA
     * @param keyStorePassword      the password of the key store with the mirror's certificate for the new cluster
     * @param newTrustStorePassword the password of the trust store with the new cluster's CA
     * @return the mirror
     */
    public static Mirror ordersFromOldToNewCluster(String sourcePassword, String oldTrustStorePassword, String keyStorePassword,
            String newTrustStorePassword) {
        // snippet:start secured
        Mirror mirror = Mirror.builder()
                .source(Map.of("bootstrap.servers", "old-broker:9093",
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "SCRAM-SHA-512",
                        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"mirror\" password=\"" + sourcePassword + "\";",
                        "ssl.truststore.location", "/etc/kmirror/old-cluster-ca.p12",
                        "ssl.truststore.password", oldTrustStorePassword))
                .destination(Map.of("bootstrap.servers", "new-broker:9093",
                        "security.protocol", "SSL",
                        "ssl.keystore.location", "/etc/kmirror/mirror.p12",   // its certificate's subject is the principal
                        "ssl.keystore.password", keyStorePassword,
                        "ssl.truststore.location", "/etc/kmirror/new-cluster-ca.p12",
                        "ssl.truststore.password", newTrustStorePassword))
                .topics(TopicFilter.include("orders.*"))
                .groupId("orders-mirror")
                .build();
        // snippet:end secured
        return mirror;
    }
}

package io.kmirror;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Factories for the Kafka clients a mirror uses, so that a test can hand in kafka-clients'
 * {@code MockConsumer} / {@code MockProducer} or a host can wrap the clients (for tracing, say).
 * Each factory receives the complete client configuration the mirror computed and must return a new
 * client that the mirror owns and closes.
 */
public final class ClientFactories {

    private ClientFactories() {
    }

    /** Creates the source consumers, one per stream. */
    @FunctionalInterface
    public interface ConsumerFactory {
        /** A new consumer for {@code config}. */
        Consumer<byte[], byte[]> create(Map<String, Object> config);

        /** The default: a {@link KafkaConsumer}. */
        static ConsumerFactory kafka() {
            return KafkaConsumer::new;
        }
    }

    /** Creates the destination producer. */
    @FunctionalInterface
    public interface ProducerFactory {
        /** A new producer for {@code config}. */
        Producer<byte[], byte[]> create(Map<String, Object> config);

        /** The default: a {@link KafkaProducer}. */
        static ProducerFactory kafka() {
            return KafkaProducer::new;
        }
    }

    /** Creates the admin clients for the source and the destination. */
    @FunctionalInterface
    public interface AdminFactory {
        /** A new admin client for {@code config}. */
        Admin create(Map<String, Object> config);

        /** The default: {@link Admin#create(Map)}. */
        static AdminFactory kafka() {
            return Admin::create;
        }
    }
}

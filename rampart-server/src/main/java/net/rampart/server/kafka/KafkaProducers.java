package net.rampart.server.kafka;

import java.util.Map;
import java.util.function.Function;

import net.rampart.server.config.ConfigException;
import net.rampart.server.config.KafkaConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;

/** Opens the feed's producers: brokers the client refuses (a name that does not resolve) stop the start. */
final class KafkaProducers {

    private KafkaProducers() {
    }

    /** @param settings a publisher's producer settings for the configured brokers */
    static KafkaProducer<byte[], byte[]> open(KafkaConfig config, Function<String, Map<String, Object>> settings)
            throws ConfigException {
        try {
            return new KafkaProducer<>(settings.apply(config.bootstrap().orElseThrow()));
        } catch (KafkaException e) {
            throw new ConfigException(KafkaConfig.BOOTSTRAP, e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
        }
    }
}

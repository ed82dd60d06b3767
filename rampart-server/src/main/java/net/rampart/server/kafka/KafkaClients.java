package net.rampart.server.kafka;

import java.util.Map;
import java.util.function.Function;

import net.rampart.server.config.ConfigException;
import net.rampart.server.config.KafkaConfig;
import org.apache.kafka.common.KafkaException;

/** Opens the feed's producers and consumers: brokers the client refuses (a name that does not resolve) stop the start. */
final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * @param settings a client's settings for the configured brokers
     * @param client   makes the client from them
     */
    static <C> C open(KafkaConfig config, Function<String, Map<String, Object>> settings,
                      Function<Map<String, Object>, C> client) throws ConfigException {
        try {
            return client.apply(settings.apply(config.bootstrap().orElseThrow()));
        } catch (KafkaException e) {
            throw new ConfigException(KafkaConfig.BOOTSTRAP, e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
        }
    }
}

package net.rampart.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {

    private static KafkaConfig from(Map<String, String> values) throws ConfigException {
        return KafkaConfig.from(new Settings(values), "collector-host");
    }

    @Test
    void unsetIsOffAndTheDefaultsAreOpenBmps() throws Exception {
        KafkaConfig config = from(Map.of());

        assertThat(config.bootstrap()).isEmpty();
        assertThat(config.raw()).isTrue();
        assertThat(config.parsed()).isFalse();
        assertThat(config.publishesBmp()).isTrue();
        assertThat(config.events()).isTrue();
        assertThat(config.rawTopic()).isEqualTo("openbmp.bmp_raw");
        assertThat(config.eventTopic("alerts")).isEqualTo("rampart.alerts");
        assertThat(config.adminId()).isEqualTo("collector-host");
        assertThat(config.queueFrames()).isEqualTo(100_000);
        assertThat(config.spoolBudgetBytes()).isEqualTo(1024L << 20);
        assertThat(config.consume()).isFalse();
        assertThat(config.group()).isEqualTo("rampart");
    }

    @Test
    void aServiceReadsItsRoutersFromKafkaInAGroup() throws Exception {
        KafkaConfig config = from(Map.of(KafkaConfig.BOOTSTRAP, "kafka-1:9092", KafkaConfig.BMP_SOURCE, "Kafka",
                KafkaConfig.GROUP, "store-a"));

        assertThat(config.consume()).isTrue();
        assertThat(config.group()).isEqualTo("store-a");
        assertThat(config.rawTopic()).isEqualTo("openbmp.bmp_raw");
    }

    @Test
    void brokersPrefixAndNameAreTaken() throws Exception {
        KafkaConfig config = from(Map.of(KafkaConfig.BOOTSTRAP, "kafka-1:9092, 192.0.2.7:9093,[2001:db8::7]:9094",
                KafkaConfig.TOPIC_PREFIX, "site-a", KafkaConfig.ADMIN_ID, "edge-1", KafkaConfig.PUBLISH, "RAW",
                KafkaConfig.EVENT_PREFIX, "site-a.rampart"));

        assertThat(config.bootstrap()).contains("kafka-1:9092,192.0.2.7:9093,[2001:db8::7]:9094");
        assertThat(config.rawTopic()).isEqualTo("site-a.bmp_raw");
        assertThat(config.adminId()).isEqualTo("edge-1");
        assertThat(config.raw()).isTrue();
        assertThat(config.parsed()).isFalse();
        assertThat(config.events()).isFalse();
        assertThat(config.eventTopic("rpki")).isEqualTo("site-a.rampart.rpki");
    }

    @Test
    void parsedTopicsAreChosenAloneOrBesideTheRawOne() throws Exception {
        KafkaConfig both = from(Map.of(KafkaConfig.PUBLISH, "raw, Parsed,events"));
        assertThat(both.raw()).isTrue();
        assertThat(both.parsed()).isTrue();
        assertThat(both.events()).isTrue();

        KafkaConfig parsedOnly = from(Map.of(KafkaConfig.PUBLISH, "parsed", KafkaConfig.TOPIC_PREFIX, "site-a"));
        assertThat(parsedOnly.raw()).isFalse();
        assertThat(parsedOnly.parsed()).isTrue();
        assertThat(parsedOnly.events()).isFalse();
        assertThat(parsedOnly.publishesBmp()).isTrue();
        assertThat(parsedOnly.topicPrefix()).isEqualTo("site-a");

        KafkaConfig eventsOnly = from(Map.of(KafkaConfig.PUBLISH, "events"));
        assertThat(eventsOnly.publishesBmp()).isFalse();
    }

    @Test
    void eachBadValueNamesItsSetting() {
        assertThatThrownBy(() -> from(Map.of(KafkaConfig.BOOTSTRAP, "kafka-1")))
                .hasMessage("RAMPART_KAFKA_BOOTSTRAP: 'kafka-1' is not host:port (a port from 1 to 65535)");
        assertThatThrownBy(() -> from(Map.of(KafkaConfig.BOOTSTRAP, "kafka-1:9092,kafka-2:70000")))
                .hasMessageStartingWith("RAMPART_KAFKA_BOOTSTRAP: 'kafka-2:70000'");
        assertThatThrownBy(() -> from(Map.of(KafkaConfig.PUBLISH, "raw,json")))
                .hasMessage("RAMPART_KAFKA_PUBLISH: 'json' is not raw, parsed or events");
        assertThatThrownBy(() -> from(Map.of(KafkaConfig.TOPIC_PREFIX, "open bmp")))
                .hasMessageStartingWith("RAMPART_KAFKA_TOPIC_PREFIX: 'open bmp' is not a Kafka topic name");
        assertThatThrownBy(() -> from(Map.of(KafkaConfig.QUEUE, "10")))
                .hasMessageStartingWith("RAMPART_KAFKA_QUEUE:");
        assertThatThrownBy(() -> from(Map.of(KafkaConfig.BMP_SOURCE, "kafka")))
                .hasMessage("RAMPART_BMP_SOURCE: kafka needs the brokers in RAMPART_KAFKA_BOOTSTRAP");
        assertThatThrownBy(() -> from(Map.of(KafkaConfig.BOOTSTRAP, "kafka-1:9092", KafkaConfig.BMP_SOURCE, "bmp")))
                .hasMessage("RAMPART_BMP_SOURCE: 'bmp' is not routers or kafka");
    }
}
